using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Takler.Core.Nodes;
using Takler.Protocol;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;
using Takler.Server.Engine;
using Takler.Server.Hosting;
using Takler.Server.Storage;
using Takler.Server.Tests.Transport;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Tests.Storage;

public class DurableServerTests
{
    private static ChildCommandOptions At(string path) => new() { NodePath = path };

    [Fact]
    public async Task A_restart_restores_what_was_acknowledged_and_the_running_job_completes_with_its_password()
    {
        using var home = new TempDirectory();
        string password;
        await using (var first = await Durable.StartAsync(home.Path, s => new TaklerServerFlows(s.Bunch).Chain("f", 3)))
        {
            Assert.Null(first.Server.Restored);
            Assert.Equal(0, (await first.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" })).Flag);
            var job = await first.Jobs.NextSubmissionAsync();
            password = job.Password;
            var pass = ServerFixture.Pass(password);
            Assert.Equal(0, (await first.Client.RunCommandInitAsync(new InitCommand { ChildOptions = At("/f/t1"), TaskId = "4242" }, pass)).Flag);
            Assert.Equal(0, (await first.Client.RunCommandEventAsync(new EventCommand { ChildOptions = At("/f/t1"), EventName = "e" }, pass)).Flag);
            Assert.Equal(0, (await first.Client.RunCommandMeterAsync(new MeterCommand { ChildOptions = At("/f/t1"), MeterName = "m", MeterValue = "7" }, pass)).Flag);
            Assert.Equal(0, (await first.Client.RunCommandSuspendAsync(new SuspendCommand { NodePath = { "/f/t3" } })).Flag);
        }

        await using var second = await Durable.StartAsync(home.Path);
        Assert.NotNull(second.Server.Restored);
        var status = await second.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t1" });
        Assert.Equal(Protocol.NodeStatus.Active, status.Status);
        Assert.Equal(1, status.TryNo);
        Assert.Equal("4242", status.Rid);
        Assert.Equal(7, status.Meters.Single().Value);
        Assert.True((await second.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t3" })).Suspended);
        Assert.False(second.Jobs.TryNext(out _)); // nothing was requeued or submitted again

        // The job that was running reports back to the restarted server with the password it was given.
        Assert.Equal(31, (await second.Client.RunCommandCompleteAsync(new CompleteCommand { ChildOptions = At("/f/t1") }, ServerFixture.Pass("wrong"))).Flag);
        Assert.Equal(0, (await second.Client.RunCommandCompleteAsync(new CompleteCommand { ChildOptions = At("/f/t1") }, ServerFixture.Pass(password))).Flag);
        var next = await second.Jobs.NextSubmissionAsync();
        Assert.Equal("/f/t2", next.TaskPath);
        Assert.Equal(Protocol.NodeStatus.Complete, (await second.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t1" })).Status);
    }

    [Fact]
    public async Task A_restart_with_nothing_after_the_snapshot_writes_no_new_one_and_later_changes_still_survive()
    {
        using var home = new TempDirectory();
        await using (var first = await Durable.StartAsync(home.Path, s => new TaklerServerFlows(s.Bunch).Chain("f", 2)))
        {
        }

        long snapshot;
        await using (var second = await Durable.StartAsync(home.Path))
        {
            Assert.Equal(0, second.Server.Restored!.Records);
            snapshot = second.Server.Restored.SnapshotId;
            Assert.Equal(0, (await second.Client.RunCommandSuspendAsync(new SuspendCommand { NodePath = { "/f/t2" } })).Flag);
        }

        await using var third = await Durable.StartAsync(home.Path);
        Assert.Equal(snapshot, third.Server.Restored!.SnapshotId); // the second start kept the first one's snapshot
        Assert.Equal(1, third.Server.Restored.Records);
        Assert.True((await third.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t2" })).Suspended);
    }

    [Fact]
    public async Task A_restart_with_journal_records_after_the_snapshot_writes_no_new_one_and_queries_see_the_records()
    {
        using var home = new TempDirectory();
        long snapshot;
        await using (var first = await Durable.StartAsync(home.Path, s => new TaklerServerFlows(s.Bunch).Chain("f", 3)))
        {
            Assert.Equal(0, (await first.Client.RunCommandSuspendAsync(new SuspendCommand { NodePath = { "/f/t2" } })).Flag);
        }

        await using (var second = await Durable.StartAsync(home.Path))
        {
            Assert.True(second.Server.Restored!.Records > 0);
            snapshot = second.Server.Restored.SnapshotId;

            // The first query reads the copy built from the restored snapshot and records; a change after it is seen too.
            Assert.True((await second.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t2" })).Suspended);
            Assert.False((await second.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t3" })).Suspended);
            Assert.Equal(0, (await second.Client.RunCommandSuspendAsync(new SuspendCommand { NodePath = { "/f/t3" } })).Flag);
            Assert.True((await second.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t3" })).Suspended);
        }

        await using var third = await Durable.StartAsync(home.Path);
        Assert.Equal(snapshot, third.Server.Restored!.SnapshotId); // no start took a snapshot of its own
        Assert.True((await third.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t2" })).Suspended);
        Assert.True((await third.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t3" })).Suspended);
        Assert.False(third.Jobs.TryNext(out _)); // nothing was requeued or submitted
    }

    [Fact]
    public async Task Limit_tokens_survive_a_restart_and_a_meter_records_its_task_alone()
    {
        using var home = new TempDirectory();
        string password;
        await using (var first = await Durable.StartAsync(home.Path, s => LimitedChain(s.Bunch)))
        {
            Assert.Equal(0, (await first.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" })).Flag);
            password = (await first.Jobs.NextSubmissionAsync()).Password;
            var journal = first.Server.Engine.Journal!;
            var before = journal.Records;

            // A meter takes or releases no token: the limit's owner (the flow) is not recorded again.
            Assert.Equal(0, (await first.Client.RunCommandMeterAsync(new MeterCommand { ChildOptions = At("/f/t1"), MeterName = "m", MeterValue = "3" }, ServerFixture.Pass(password))).Flag);
            Assert.Equal(before + 1, journal.Records);
        }

        Bunch second;
        await using (var restarted = await Durable.StartAsync(home.Path))
        {
            second = restarted.Server.Bunch;
            Assert.Equal(0, (await restarted.Client.RunCommandCompleteAsync(new CompleteCommand { ChildOptions = At("/f/t1") }, ServerFixture.Pass(password))).Flag);
            Assert.Equal("/f/t2", (await restarted.Jobs.NextSubmissionAsync()).TaskPath);
        }

        // t1's token, restored from the journal, was released by its complete; t2 took one when it was submitted.
        var slots = second.FindFlow("f")!.Limits.Single();
        Assert.Equal(["/f/t2"], slots.Holders.Keys);
        Assert.Equal(1, slots.Value);

        Bunch third;
        await using (var restartedAgain = await Durable.StartAsync(home.Path))
        {
            third = restartedAgain.Server.Bunch;
        }

        Assert.Equal(["/f/t2"], third.FindFlow("f")!.Limits.Single().Holders.Keys);
    }

    private static void LimitedChain(Bunch bunch)
    {
        new TaklerServerFlows(bunch).Chain("f", 2);
        var flow = bunch.FindFlow("f")!;
        flow.AddLimit(new Takler.Core.Attributes.Limit("slots", 1));
        flow.AddInLimit(new Takler.Core.Attributes.InLimit("slots", null, 1, false, false));
    }

    [Fact]
    public async Task Alter_and_replace_survive_a_restart()
    {
        using var home = new TempDirectory();
        await using (var first = await Durable.StartAsync(home.Path, s => new TaklerServerFlows(s.Bunch).Chain("f", 2)))
        {
            var alter = new AlterCommand { NodePath = { "/f/t1" }, Action = AlterAction.Add, Kind = AttributeKind.Meter, Name = "progress", Value = "0 10" };
            Assert.Equal(0, (await first.Client.RunCommandAlterAsync(alter)).Flag);
            var replace = new ReplaceCommand { NodePath = "/f/t2", Definition = "suite f\n  task t2\n    label why \"replaced\"\nendsuite\n" };
            Assert.Equal(0, (await first.Client.RunCommandReplaceAsync(replace)).Flag);
        }

        await using var second = await Durable.StartAsync(home.Path);
        var def = (await second.Client.RequestExportAsync(new ExportRequest { Format = DefinitionFormat.EcflowDef })).Content;
        Assert.Contains("meter progress 0 10", def, StringComparison.Ordinal);
        Assert.Contains("label why \"replaced\"", def, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_submitted_password_is_stored_before_the_job_is_handed_to_the_runner()
    {
        var bunch = new Bunch();
        new TaklerServerFlows(bunch).Chain("f", 1);
        var store = new MemoryStore();
        var runner = new CheckingRunner(store);
        var engine = new SchedulerEngine(bunch, runner, TimeProvider.System, new EngineOptions { Interval = TimeSpan.FromHours(1) }, NullLogger.Instance);
        engine.UseJournal(new StateJournal(bunch, store, TimeProvider.System, new SnapshotPolicy()));
        using var stop = new CancellationTokenSource();
        var loop = engine.RunAsync(stop.Token);

        await engine.ExecuteAsync("begin", c => c.Operations.Begin("f"));
        var stored = await runner.Seen.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(stored);
        await stop.CancelAsync();
        await loop;
    }

    [Fact]
    public async Task A_query_after_a_snapshot_no_query_waited_for_sees_the_changes_before_and_after_it()
    {
        using var home = new TempDirectory();
        await using var fx = await Durable.StartAsync(home.Path, s => new TaklerServerFlows(s.Bunch).Chain("f", 3));
        Assert.Equal(0, (await fx.Client.RunCommandSuspendAsync(new SuspendCommand { NodePath = { "/f/t1" } })).Flag);
        Assert.Equal(0, (await fx.Client.RunCommandCheckpointAsync(new CheckpointCommand())).Flag);
        Assert.Equal(0, (await fx.Client.RunCommandSuspendAsync(new SuspendCommand { NodePath = { "/f/t2" } })).Flag);

        Assert.True((await fx.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t1" })).Suspended);
        Assert.True((await fx.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t2" })).Suspended);
        Assert.False((await fx.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t3" })).Suspended);

        Assert.Equal(0, (await fx.Client.RunCommandCheckpointAsync(new CheckpointCommand())).Flag);
        Assert.Equal(0, (await fx.Client.RunCommandResumeAsync(new SuspendCommand { NodePath = { "/f/t1" } })).Flag);
        Assert.False((await fx.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t1" })).Suspended);
        Assert.True((await fx.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t2" })).Suspended);
    }

    [Fact]
    public async Task Checkpoint_takes_a_snapshot_that_empties_the_journal()
    {
        using var home = new TempDirectory();
        await using var fx = await Durable.StartAsync(home.Path, s => new TaklerServerFlows(s.Bunch).Chain("f", 2));
        await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" });
        await fx.Client.RunCommandSuspendAsync(new SuspendCommand { NodePath = { "/f/t2" } });
        Assert.True(fx.Server.Store!.RecordsSinceSnapshot > 0);

        var reply = await fx.Client.RunCommandCheckpointAsync(new CheckpointCommand());

        Assert.Equal(0, reply.Flag);
        Assert.Equal(0, fx.Server.Store.RecordsSinceSnapshot);
        var stats = await fx.Client.RequestServerStatsAsync(new ServerStatsRequest());
        Assert.NotNull(stats.LastCheckpoint);
    }

    [Fact]
    public async Task Checkpoint_without_storage_says_so()
    {
        await using var fx = await ServerFixture.StartAsync();

        var reply = await fx.Client.RunCommandCheckpointAsync(new CheckpointCommand());

        Assert.Equal(13, reply.Flag);
        Assert.Contains("without storage", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flow_kept_in_the_database_replaces_the_one_given_at_start_and_a_new_one_is_kept()
    {
        using var home = new TempDirectory();
        await using (var first = await Durable.StartAsync(home.Path, s => new TaklerServerFlows(s.Bunch).Chain("f", 2)))
        {
            await first.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" });
        }

        await using (var second = await Durable.StartAsync(home.Path, s =>
        {
            new TaklerServerFlows(s.Bunch).Chain("f", 5);
            new TaklerServerFlows(s.Bunch).Chain("g", 1);
        }))
        {
            Assert.Equal(["f"], second.Server.Restored!.Flows);
            Assert.Equal(2, second.Server.Bunch.FindFlow("f")!.Children.Count);
            Assert.True(second.Server.Bunch.FindFlow("f")!.Begun);
        }

        await using var third = await Durable.StartAsync(home.Path);
        Assert.Equal(["f", "g"], third.Server.Bunch.Flows.Select(f => f.Name));
    }

    [Fact]
    public async Task Every_command_from_every_client_goes_to_the_audit_log()
    {
        using var home = new TempDirectory();
        await using (var fx = await Durable.StartAsync(home.Path, s => new TaklerServerFlows(s.Bunch).Chain("f", 1), audit: true))
        {
            var alice = new Metadata { { TaklerMetadataKeys.User, "alice" } };
            await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" }, alice);
            await fx.Client.RunCommandSuspendAsync(new SuspendCommand { NodePath = { "/f/nope" } }, alice);
            var job = await fx.Jobs.NextSubmissionAsync();
            await fx.Client.RunCommandMeterAsync(new MeterCommand { ChildOptions = At("/f/t1"), MeterName = "m", MeterValue = "3" }, ServerFixture.Pass(job.Password));
            await fx.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t1" });
        }

        var lines = File.ReadAllLines(Path.Combine(home.Path, "audit.log"));
        Assert.Equal(3, lines.Length);
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("begin", entries[0].GetProperty("command").GetString());
        Assert.Equal("alice", entries[0].GetProperty("user").GetString());
        Assert.Equal("/f", entries[0].GetProperty("paths")[0].GetString());
        Assert.Equal(0, entries[0].GetProperty("flag").GetInt32());
        Assert.False(string.IsNullOrEmpty(entries[0].GetProperty("peer").GetString()));
        Assert.Equal("suspend", entries[1].GetProperty("command").GetString());
        Assert.Equal(10, entries[1].GetProperty("flag").GetInt32());
        Assert.Contains("/f/nope", entries[1].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("meter", entries[2].GetProperty("command").GetString());
        Assert.Equal("m=3", entries[2].GetProperty("detail").GetString());
        Assert.False(entries[2].TryGetProperty("user", out _));
    }

    [Fact]
    public async Task A_failed_background_commit_fails_its_commands_and_every_later_one_and_stops_the_engine()
    {
        var bunch = new Bunch();
        new TaklerServerFlows(bunch).Chain("f", 1);
        var engine = new SchedulerEngine(bunch, new RecordingJobRunner(), TimeProvider.System, new EngineOptions { Interval = TimeSpan.FromHours(1) }, NullLogger.Instance);
        var journal = new StateJournal(bunch, new FailingStore(), TimeProvider.System, new SnapshotPolicy());
        journal.Start();
        engine.UseJournal(journal);
        var loop = engine.RunAsync(CancellationToken.None);

        var begin = engine.ExecuteAsync("begin", c => c.Operations.Begin("f"));
        var query = engine.ExecuteAsync("show", c => c.Bunch.Flows.Count);

        Assert.Equal(Takler.Core.TaklerErrorCode.InternalError, (await Assert.ThrowsAsync<Takler.Core.TaklerException>(() => begin)).Code);
        await Assert.ThrowsAnyAsync<Exception>(() => query); // failed with the batch, or cancelled by the stop: never answered from unstored state
        await Assert.ThrowsAsync<StorageException>(() => loop.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_failed_commit_fails_the_commands_of_its_batch_and_stops_the_engine()
    {
        var bunch = new Bunch();
        new TaklerServerFlows(bunch).Chain("f", 1);
        var engine = new SchedulerEngine(bunch, new RecordingJobRunner(), TimeProvider.System, new EngineOptions { Interval = TimeSpan.FromHours(1) }, NullLogger.Instance);
        var store = new FailingStore();
        engine.UseJournal(new StateJournal(bunch, store, TimeProvider.System, new SnapshotPolicy()));
        var loop = engine.RunAsync(CancellationToken.None);

        var begin = engine.ExecuteAsync("begin", c => c.Operations.Begin("f"));

        var error = await Assert.ThrowsAsync<Takler.Core.TaklerException>(() => begin);
        Assert.Equal(Takler.Core.TaklerErrorCode.InternalError, error.Code);
        Assert.Contains("the change could not be stored (test.db: disk full); the server stops", error.Message, StringComparison.Ordinal);
        var stopped = await Assert.ThrowsAsync<StorageException>(() => loop.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("test.db: disk full", stopped.Message);
    }

    /// <summary>Keeps what is written, as text.</summary>
    private sealed class MemoryStore : IStateStore
    {
        private readonly List<string> _written = [];

        public string Location => "memory";

        public long RecordsSinceSnapshot => 0;

        public DateTimeOffset? LastSnapshotAt => null;

        public bool Contains(string text)
        {
            lock (_written)
            {
                return _written.Exists(w => w.Contains(text, StringComparison.Ordinal));
            }
        }

        public StateRestore? Restore(Bunch bunch) => null;

        public void Append(IReadOnlyList<ReadOnlyMemory<byte>> records, DateTimeOffset time)
        {
            lock (_written)
            {
                _written.AddRange(records.Select(r => System.Text.Encoding.UTF8.GetString(r.Span)));
            }
        }

        public void WriteSnapshot(ReadOnlyMemory<byte> snapshot, DateTimeOffset time)
        {
            lock (_written)
            {
                _written.Add(System.Text.Encoding.UTF8.GetString(snapshot.Span));
            }
        }

        public void Dispose()
        {
        }
    }

    /// <summary>A job runner that looks, at each submission, for the job's password in the store.</summary>
    private sealed class CheckingRunner(MemoryStore store) : Takler.Server.Jobs.IJobRunner
    {
        public TaskCompletionSource<bool> Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<Takler.Server.Jobs.JobOutcome> SubmitAsync(Takler.Server.Jobs.JobRequest request, CancellationToken cancellationToken)
        {
            Seen.TrySetResult(store.Contains($"\"path\":\"{request.TaskPath}\",\"status\":\"submitted\"") && store.Contains($"\"password\":\"{request.Password}\""));
            return Task.FromResult(Takler.Server.Jobs.JobOutcome.Ok());
        }

        public Task<Takler.Server.Jobs.JobOutcome> KillAsync(Takler.Server.Jobs.JobRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(Takler.Server.Jobs.JobOutcome.Ok());

        public Task<Takler.Server.Jobs.JobOutcome> StatusAsync(Takler.Server.Jobs.JobRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(Takler.Server.Jobs.JobOutcome.Ok());
    }

    private sealed class FailingStore : IStateStore
    {
        public string Location => "test.db";

        public long RecordsSinceSnapshot => 0;

        public DateTimeOffset? LastSnapshotAt => null;

        public StateRestore? Restore(Bunch bunch) => null;

        public void Append(IReadOnlyList<ReadOnlyMemory<byte>> records, DateTimeOffset time) => throw new StorageException(Location, "disk full");

        public void WriteSnapshot(ReadOnlyMemory<byte> snapshot, DateTimeOffset time) => throw new StorageException(Location, "disk full");

        public void Dispose()
        {
        }
    }

    /// <summary>An in-process server with storage in <c>home</c>, a recording job runner and a client.</summary>
    private sealed class Durable : IAsyncDisposable
    {
        private readonly GrpcChannel _channel;

        private Durable(TaklerServer server, RecordingJobRunner jobs)
        {
            Server = server;
            Jobs = jobs;
            _channel = GrpcChannel.ForHost("127.0.0.1", server.Port);
            Client = new TaklerServerClient(_channel.CreateCallInvoker());
        }

        public TaklerServer Server { get; }

        public RecordingJobRunner Jobs { get; }

        public TaklerServerClient Client { get; }

        public static async Task<Durable> StartAsync(string home, Action<TaklerServer>? setUp = null, bool audit = false)
        {
            var jobs = new RecordingJobRunner();
            var server = new TaklerServer(
                new TaklerServerOptions
                {
                    Port = 0,
                    LoopbackOnly = true,
                    Home = home,
                    Interval = TimeSpan.FromHours(1),
                    Storage = true,
                    StorageSynchronous = StorageSynchronous.Normal,
                    AuditLog = audit,
                },
                jobs);
            setUp?.Invoke(server);
            await server.StartAsync();
            return new Durable(server, jobs);
        }

        public async ValueTask DisposeAsync()
        {
            _channel.Dispose();
            await Server.DisposeAsync();
        }
    }
}
