using System.Diagnostics;
using Takler.Protocol;
using Takler.Server.Jobs;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Tests.Transport;

/// <summary>WatchStatus over a real server: the current status, every change, the end, the timeout, and how fast it wakes.</summary>
public class WatchStatusTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static ChildCommandOptions At(string path) => new() { NodePath = path };

    private static async Task Complete(ServerFixture fx, JobRequest job)
    {
        var pass = ServerFixture.Pass(job.Password);
        Assert.Equal(0, (await fx.Client.RunCommandInitAsync(new InitCommand { ChildOptions = At(job.TaskPath), TaskId = "1" }, pass)).Flag);
        Assert.Equal(0, (await fx.Client.RunCommandCompleteAsync(new CompleteCommand { ChildOptions = At(job.TaskPath) }, pass)).Flag);
    }

    [Fact]
    public async Task Watch_sends_the_current_status_then_each_change_and_ends_at_complete()
    {
        await using var fx = await ServerFixture.StartAsync(s => new TaklerServerFlows(s.Bunch).Chain("f", 1));
        await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" });
        var job = await fx.Jobs.NextSubmissionAsync();

        using var cts = new CancellationTokenSource(Patience);
        await using var events = fx.Client.WatchStatusAsync(new WatchRequest { NodePath = { "/f/t1" } }, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(("/f/t1", Protocol.NodeStatus.Submitted, false, 1), (events.Current.NodePath, events.Current.Status, events.Current.Reached, events.Current.TryNo));

        await Complete(fx, job);
        var seen = new List<(Protocol.NodeStatus, bool)>();
        while (await events.MoveNextAsync())
        {
            seen.Add((events.Current.Status, events.Current.Reached));
        }

        // init and complete may land in one batch; the stream ends once the task is complete.
        Assert.Equal((Protocol.NodeStatus.Complete, true), seen[^1]);
        Assert.All(seen[..^1], s => Assert.Equal((Protocol.NodeStatus.Active, false), s));
    }

    [Fact]
    public async Task Watch_wakes_within_100_ms_of_completion()
    {
        await using var fx = await ServerFixture.StartAsync(s => new TaklerServerFlows(s.Bunch).Chain("f", 1));
        await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" });
        var job = await fx.Jobs.NextSubmissionAsync();
        var pass = ServerFixture.Pass(job.Password);
        Assert.Equal(0, (await fx.Client.RunCommandInitAsync(new InitCommand { ChildOptions = At("/f/t1"), TaskId = "1" }, pass)).Flag);

        // Several tries, judged by the median, so one slow moment of a loaded machine does not decide.
        var wakes = new List<TimeSpan>();
        for (var i = 0; i < 7; i++)
        {
            using var cts = new CancellationTokenSource(Patience);
            await using var events = fx.Client.WatchStatusAsync(new WatchRequest { NodePath = { "/f/t1" } }, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
            Assert.True(await events.MoveNextAsync()); // the watch is open: its first event is the current status
            Assert.Equal(Protocol.NodeStatus.Active, events.Current.Status);

            var started = Stopwatch.GetTimestamp();
            var complete = fx.Client.RunCommandCompleteAsync(new CompleteCommand { ChildOptions = At("/f/t1") }, pass, cancellationToken: cts.Token);
            Assert.True(await events.MoveNextAsync());
            wakes.Add(Stopwatch.GetElapsedTime(started));
            Assert.Equal((Protocol.NodeStatus.Complete, true), (events.Current.Status, events.Current.Reached));
            Assert.Equal(0, (await complete).Flag);
            Assert.False(await events.MoveNextAsync());

            // Active again for the next try.
            Assert.Equal(0, (await fx.Client.RunCommandRunAsync(new RunCommand { NodePath = { "/f/t1" } }, cancellationToken: cts.Token)).Flag);
            job = await fx.Jobs.NextSubmissionAsync();
            pass = ServerFixture.Pass(job.Password);
            Assert.Equal(0, (await fx.Client.RunCommandInitAsync(new InitCommand { ChildOptions = At("/f/t1"), TaskId = "1" }, pass, cancellationToken: cts.Token)).Flag);
        }

        wakes.Sort();
        Assert.True(wakes[wakes.Count / 2] < TimeSpan.FromMilliseconds(100), $"median wake {wakes[wakes.Count / 2].TotalMilliseconds:0.0} ms; all: {string.Join(", ", wakes.Select(w => w.TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [Fact]
    public async Task Watch_with_run_runs_the_task_first_and_reports_the_abort()
    {
        await using var fx = await ServerFixture.StartAsync(s => new TaklerServerFlows(s.Bunch).Chain("f", 2));
        await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" });
        await fx.Jobs.NextSubmissionAsync(); // t1

        using var cts = new CancellationTokenSource(Patience);
        var request = new WatchRequest { NodePath = { "/f/t2" }, Statuses = { Protocol.NodeStatus.Complete, Protocol.NodeStatus.Aborted }, Run = new SubmitCommand() };
        await using var events = fx.Client.WatchStatusAsync(request, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(Protocol.NodeStatus.Submitted, events.Current.Status); // run ignored t2's trigger, in the watch's own step

        var job = await fx.Jobs.NextSubmissionAsync();
        Assert.Equal("/f/t2", job.TaskPath);
        var abort = await fx.Client.RunCommandAbortAsync(new AbortCommand { ChildOptions = At("/f/t2"), Reason = "bad" }, ServerFixture.Pass(job.Password), cancellationToken: cts.Token);
        Assert.Equal(0, abort.Flag);
        WatchEvent last = events.Current;
        while (await events.MoveNextAsync())
        {
            last = events.Current;
        }

        Assert.Equal((Protocol.NodeStatus.Aborted, true), (last.Status, last.Reached));
    }

    [Fact]
    public async Task Watch_ends_with_a_timed_out_event_when_the_timeout_passes()
    {
        await using var fx = await ServerFixture.StartAsync(s => new TaklerServerFlows(s.Bunch).Chain("f", 1));
        await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" });

        using var cts = new CancellationTokenSource(Patience);
        var request = new WatchRequest { NodePath = { "/f/t1" }, Timeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMilliseconds(200)) };
        var all = new List<WatchEvent>();
        await foreach (var e in fx.Client.WatchStatusAsync(request, cancellationToken: cts.Token))
        {
            all.Add(e);
        }

        Assert.Equal(2, all.Count);
        Assert.Equal(Protocol.NodeStatus.Submitted, all[0].Status);
        Assert.True(all[1].TimedOut);
    }

    [Fact]
    public async Task Watch_of_an_unknown_node_is_refused_and_deleting_a_watched_node_ends_the_watch()
    {
        await using var fx = await ServerFixture.StartAsync(s => new TaklerServerFlows(s.Bunch).Chain("f", 2));
        using var cts = new CancellationTokenSource(Patience);

        var unknown = new List<WatchEvent>();
        await foreach (var e in fx.Client.WatchStatusAsync(new WatchRequest { NodePath = { "/f/t1", "/f/nope" }, Run = new SubmitCommand() }, cancellationToken: cts.Token))
        {
            unknown.Add(e);
        }

        Assert.Equal((10, "NodeNotFoundError: node is not found: /f/nope"), (Assert.Single(unknown).Flag, unknown[0].Message));
        Assert.False(fx.Jobs.TryNext(out _)); // the run did not happen

        await using var events = fx.Client.WatchStatusAsync(new WatchRequest { NodePath = { "/f/t2" } }, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(0, (await fx.Client.RunCommandDeleteAsync(new DeleteCommand { NodePath = { "/f/t2" } }, cancellationToken: cts.Token)).Flag);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(10, events.Current.Flag);
        Assert.False(await events.MoveNextAsync());
    }
}
