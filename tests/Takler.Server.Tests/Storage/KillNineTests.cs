using System.Diagnostics;
using System.Globalization;
using Takler.Protocol;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;
using Xunit.Abstractions;

namespace Takler.Server.Tests.Storage;

/// <summary>
/// A real `takler_server` under a stream of child and user commands from several clients is killed with `kill -9`
/// at random moments, 20 times. After each restart every acknowledged command is there, and none is there twice.
/// </summary>
public class KillNineTests(ITestOutputHelper output)
{
    private const int Clients = 4;
    private const int Kills = 20;
    private static readonly string[] Jobs = ["j0", "j1"];

    [Fact]
    public async Task Acknowledged_commands_survive_kill_9_and_none_is_applied_twice()
    {
        var watch = Stopwatch.StartNew();
        using var home = new TempDirectory();
        var definition = WriteSuite(home);
        var port = ServerProcess.FreePort();
        string[] options = ["--allow-passwordless-child", "--sync", "normal"];
        var server = await ServerProcess.StartAsync(home.Path, port, [.. options, "--load", definition, "--begin"]);
        try
        {
            using var channel = GrpcChannel.ForHost("127.0.0.1", port);
            var admin = new TaklerServerClient(channel.CreateCallInvoker());
            var tasks = Enumerable.Range(0, Clients).Select(i => $"c{i}").Concat(Jobs).ToList();
            var passwords = await PasswordsAsync(home, tasks);

            // Every task's job starts: `init` with the password the job was given.
            foreach (var task in tasks)
            {
                var reply = await admin.RunCommandInitAsync(new InitCommand { ChildOptions = At(PathOf(task)), TaskId = "rid-" + task }, Pass(passwords[task]));
                Assert.True(reply.Flag == 0, reply.Message);
            }

            var gate = new Gate();
            var meters = Enumerable.Range(0, Clients).Select(i => new MeterClient(PathOf($"c{i}"), passwords[$"c{i}"], port)).ToList();
            var user = new SuspendClient("/d/other", port);
            var clients = meters.Cast<LoopingClient>().Append(user).ToList();
            using var stop = new CancellationTokenSource();
            var loops = clients.Select(c => Task.Run(() => c.RunAsync(gate, stop.Token))).ToList();
            var random = new Random(20240601);
            for (var k = 0; k < Kills; k++)
            {
                await Task.Delay(random.Next(150, 600));
                await server.KillAsync();
                gate.Close();
                await WaitUntilAsync(() => clients.All(c => c.Parked), "every client stops at the gate");
                await server.DisposeAsync();
                server = await ServerProcess.StartAsync(home.Path, port, options);

                var tree = await admin.RequestTreeAsync(new TreeRequest { RootPath = "/d", AllAttributes = true });
                Assert.True(tree.Flag == 0, tree.Message);
                var nodes = tree.Nodes.ToDictionary(n => n.Path, StringComparer.Ordinal);
                foreach (var m in meters)
                {
                    m.Check(nodes[m.Path]);
                }

                user.Check(nodes[user.Path]);
                foreach (var task in tasks)
                {
                    Assert.Equal(1, nodes[PathOf(task)].TryNo); // restored, never requeued or submitted again
                    Assert.Equal(Protocol.NodeStatus.Active, nodes[PathOf(task)].Status);
                }

                gate.Open();
            }

            await stop.CancelAsync();
            gate.Open();
            await Task.WhenAll(loops);
            foreach (var c in clients)
            {
                Assert.Null(c.Failure);
            }

            // The jobs that ran across every restart end with their own password, as on the first day.
            foreach (var job in Jobs)
            {
                var reply = await admin.RunCommandCompleteAsync(new CompleteCommand { ChildOptions = At(PathOf(job)) }, Pass(passwords[job]));
                Assert.True(reply.Flag == 0, reply.Message);
                var status = await admin.RequestStatusAsync(new StatusRequest { NodePath = PathOf(job) });
                Assert.Equal(Protocol.NodeStatus.Complete, status.Status);
                Assert.Equal("rid-" + job, status.Rid);
            }

            Assert.Equal(passwords, await PasswordsAsync(home, tasks)); // no job ran a second time
            var acked = meters.Sum(m => m.Acked);
            output.WriteLine($"{Kills} kills in {watch.Elapsed.TotalSeconds:F1} s; {acked} meter commands and {user.Acked} suspend/resume acknowledged; {meters.Sum(m => m.Unknown)} outcomes unknown at a kill, {meters.Sum(m => m.AppliedUnacknowledged)} of them applied");
            Assert.True(acked >= Kills, $"only {acked} meter commands were acknowledged");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static string PathOf(string task) => task.StartsWith('c') ? $"/d/clients/{task}" : $"/d/jobs/{task}";

    private static ChildCommandOptions At(string path) => new() { NodePath = path };

    private static Metadata Pass(string password) => new() { { TaklerMetadataKeys.Password, password } };

    /// <summary>A suite whose tasks' jobs write their password (TAKLER_PASS) next to the home and end.</summary>
    private static string WriteSuite(TempDirectory home)
    {
        var script = "#!/bin/sh\necho \"{{ TAKLER_PASS }}\" > \"{{ TAKLER_HOME }}/{{ TASK }}.tmp\" && mv \"{{ TAKLER_HOME }}/{{ TASK }}.tmp\" \"{{ TAKLER_HOME }}/{{ TASK }}.pass\"\n";
        var def = new System.Text.StringBuilder("suite d\n  family clients\n");
        Directory.CreateDirectory(Path.Combine(home.Path, "d", "clients"));
        Directory.CreateDirectory(Path.Combine(home.Path, "d", "jobs"));
        for (var i = 0; i < Clients; i++)
        {
            def.Append(CultureInfo.InvariantCulture, $"    task c{i}\n      meter n 0 1000000\n      event e\n");
            File.WriteAllText(Path.Combine(home.Path, "d", "clients", $"c{i}.takler"), script);
        }

        def.Append("  endfamily\n  family jobs\n");
        foreach (var job in Jobs)
        {
            def.Append(CultureInfo.InvariantCulture, $"    task {job}\n");
            File.WriteAllText(Path.Combine(home.Path, "d", "jobs", $"{job}.takler"), script);
        }

        def.Append("  endfamily\n  family other\n    defstatus complete\n    task x\n  endfamily\nendsuite\n");
        var path = home.File("d.def");
        File.WriteAllText(path, def.ToString());
        return path;
    }

    private static async Task<Dictionary<string, string>> PasswordsAsync(TempDirectory home, IReadOnlyList<string> tasks)
    {
        var files = tasks.ToDictionary(t => t, t => home.File(t + ".pass"));
        await WaitUntilAsync(() => files.Values.All(File.Exists), "every job wrote its password");
        return files.ToDictionary(f => f.Key, f => File.ReadAllText(f.Value).Trim());
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"timed out waiting until {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>Closed after a kill: clients stop before their next command, so the restored state can be read still.</summary>
    private sealed class Gate
    {
        private volatile TaskCompletionSource _open = Opened();

        public void Close() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _open.TrySetResult();

        public Task WhenOpen => _open.Task;

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }
    }

    /// <summary>A client sending one command at a time, each only after the previous one's outcome is known (or lost).</summary>
    private abstract class LoopingClient(string path, int port)
    {
        private volatile bool _parked;

        public string Path { get; } = path;

        public bool Parked => _parked;

        public string? Failure { get; protected set; }

        public async Task RunAsync(Gate gate, CancellationToken stop)
        {
            using var channel = GrpcChannel.ForHost("127.0.0.1", port);
            var client = new TaklerServerClient(channel.CreateCallInvoker());
            while (!stop.IsCancellationRequested && Failure is null)
            {
                var open = gate.WhenOpen;
                if (!open.IsCompleted)
                {
                    _parked = true;
                    await open;
                    _parked = false;
                    continue;
                }

                var deadline = TimeProvider.System.GetUtcNow().AddSeconds(5);
                ServiceResponse reply;
                try
                {
                    reply = await SendAsync(client, deadline);
                }
#pragma warning disable CA1031 // The server died under the call: the outcome is unknown.
                catch (Exception)
#pragma warning restore CA1031
                {
                    continue;
                }

                if (reply.Flag != 0)
                {
                    Failure = $"{Path}: flag {reply.Flag}: {reply.Message}";
                    continue;
                }

                Acknowledged();
            }

            _parked = true;
        }

        protected abstract Task<ServiceResponse> SendAsync(TaklerServerClient client, DateTimeOffset deadline);

        protected abstract void Acknowledged();
    }

    /// <summary>Sets its task's meter to one more than the last acknowledged value: applying a command twice would show.</summary>
    private sealed class MeterClient(string path, string password, int port) : LoopingClient(path, port)
    {
        private int _sent;
        private bool _eventSending;

        public int Acked { get; private set; }

        public int Unknown { get; private set; }

        public int AppliedUnacknowledged { get; private set; }

        public bool EventAcked { get; private set; }

        public void Check(TreeNode node)
        {
            var value = node.Meters.Single().Value;
            var unknown = _sent != Acked;
            Assert.True(
                value == Acked || (unknown && value == _sent),
                $"{Path}: meter {value} after restart; last acknowledged {Acked}, last sent {_sent}");
            if (EventAcked)
            {
                Assert.True(node.Events.Single().Value, $"{Path}: the acknowledged event is lost");
            }

            Unknown += unknown ? 1 : 0;
            AppliedUnacknowledged += unknown && value == _sent ? 1 : 0;
            Acked = value;
            _sent = value;
        }

        protected override Task<ServiceResponse> SendAsync(TaklerServerClient client, DateTimeOffset deadline)
        {
            var pass = Pass(password);
            if (Acked == 10 && !EventAcked)
            {
                _eventSending = true;
                return client.RunCommandEventAsync(new EventCommand { ChildOptions = At(Path), EventName = "e" }, pass, deadline);
            }

            _eventSending = false;
            _sent = Acked + 1;
            return client.RunCommandMeterAsync(new MeterCommand { ChildOptions = At(Path), MeterName = "n", MeterValue = _sent.ToString(CultureInfo.InvariantCulture) }, pass, deadline);
        }

        protected override void Acknowledged()
        {
            if (_eventSending)
            {
                EventAcked = true;
            }
            else
            {
                Acked = _sent;
            }
        }
    }

    /// <summary>Suspends and resumes a family in turn (a user command).</summary>
    private sealed class SuspendClient(string path, int port) : LoopingClient(path, port)
    {
        private bool _suspended;
        private bool? _sending;

        public int Acked { get; private set; }

        public void Check(TreeNode node)
        {
            Assert.True(
                node.Suspended == _suspended || node.Suspended == _sending,
                $"{Path}: suspended={node.Suspended} after restart; last acknowledged {_suspended}");
            _suspended = node.Suspended;
            _sending = null;
        }

        protected override Task<ServiceResponse> SendAsync(TaklerServerClient client, DateTimeOffset deadline)
        {
            _sending = !_suspended;
            var command = new SuspendCommand { NodePath = { Path } };
            var user = new Metadata { { TaklerMetadataKeys.User, "operator" } };
            return _sending.Value ? client.RunCommandSuspendAsync(command, user, deadline) : client.RunCommandResumeAsync(command, user, deadline);
        }

        protected override void Acknowledged()
        {
            _suspended = _sending!.Value;
            _sending = null;
            Acked++;
        }
    }
}
