using Takler.Core.Nodes;
using Takler.Protocol;
using Takler.Server.Jobs;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Tests.Transport;

/// <summary>
/// run with queue over a real server: queued tasks wait for their limit's token and then go highest priority first;
/// a plain run still ignores limits; a bad request changes nothing.
/// </summary>
public class RunQueueTests
{
    private static ChildCommandOptions At(string path) => new() { NodePath = path };

    /// <summary>
    /// Flow f with a limit of one token: hold takes it at begin; a, b and c need it too and wait for gate, which never
    /// completes, so they run only when asked to.
    /// </summary>
    private static async Task<(ServerFixture Fx, JobRequest Hold)> StartAsync()
    {
        var fx = await ServerFixture.StartAsync(s =>
        {
            var flow = new Flow("f");
            flow.AddLimit("one", 1);
            flow.AddTask("gate");
            flow.AddTask("hold").AddInLimit("one");
            foreach (var name in new[] { "a", "b", "c" })
            {
                flow.AddTask(name).AddInLimit("one").AddTrigger("gate == complete");
            }

            s.Bunch.AddFlow(flow);
        });
        Assert.Equal(0, (await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" })).Flag);
        var begun = new[] { await fx.Jobs.NextSubmissionAsync(), await fx.Jobs.NextSubmissionAsync() };
        Assert.Equal(["/f/gate", "/f/hold"], begun.Select(j => j.TaskPath).Order(StringComparer.Ordinal));
        return (fx, begun.Single(j => j.TaskPath == "/f/hold"));
    }

    private static async Task Complete(ServerFixture fx, JobRequest job)
    {
        var pass = ServerFixture.Pass(job.Password);
        Assert.Equal(0, (await fx.Client.RunCommandInitAsync(new InitCommand { ChildOptions = At(job.TaskPath), TaskId = "1" }, pass)).Flag);
        Assert.Equal(0, (await fx.Client.RunCommandCompleteAsync(new CompleteCommand { ChildOptions = At(job.TaskPath) }, pass)).Flag);
    }

    private static SubmitCommand Queue(int? priority, params string[] paths)
    {
        var request = new SubmitCommand { NodePath = { paths }, Queue = true };
        if (priority is { } value)
        {
            request.Priority = value;
        }

        return request;
    }

    [Fact]
    public async Task Queued_tasks_wait_for_the_token_and_go_highest_priority_first()
    {
        var (fx, hold) = await StartAsync();
        await using var _ = fx;
        Assert.Equal(0, (await fx.Client.RunCommandSubmitAsync(Queue(1, "/f/a"))).Flag);
        Assert.Equal(0, (await fx.Client.RunCommandSubmitAsync(Queue(5, "/f/b"))).Flag);
        Assert.Equal(0, (await fx.Client.RunCommandSubmitAsync(Queue(3, "/f/c"))).Flag);

        // Each frees the one token for the next: had the limit been ignored, a would have come first, at once.
        await Complete(fx, hold);
        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var job = await fx.Jobs.NextSubmissionAsync();
            order.Add(job.TaskPath);
            await Complete(fx, job);
        }

        Assert.Equal(["/f/b", "/f/c", "/f/a"], order);
    }

    [Fact]
    public async Task A_changed_priority_reorders_tasks_already_waiting()
    {
        var (fx, hold) = await StartAsync();
        await using var _ = fx;
        Assert.Equal(0, (await fx.Client.RunCommandSubmitAsync(Queue(null, "/f/a", "/f/b"))).Flag);
        Assert.Equal(0, (await fx.Client.RunCommandSubmitAsync(Queue(7, "/f/b"))).Flag); // b is waiting: requeued again, now first

        await Complete(fx, hold);
        var first = await fx.Jobs.NextSubmissionAsync();
        Assert.Equal("/f/b", first.TaskPath);
        await Complete(fx, first);
        Assert.Equal("/f/a", (await fx.Jobs.NextSubmissionAsync()).TaskPath);
    }

    [Fact]
    public async Task Plain_run_still_ignores_limits()
    {
        var (fx, _) = await StartAsync();
        await using var __ = fx;
        Assert.Equal(0, (await fx.Client.RunCommandSubmitAsync(new SubmitCommand { NodePath = { "/f/a" } })).Flag);
        Assert.Equal("/f/a", (await fx.Jobs.NextSubmissionAsync()).TaskPath); // while hold has the only token
    }

    [Fact]
    public async Task Bad_queue_requests_are_refused_and_change_nothing()
    {
        var (fx, hold) = await StartAsync();
        await using var _ = fx;
        var missing = await fx.Client.RunCommandSubmitAsync(Queue(9, "/f/a", "/f/nope"));
        Assert.NotEqual(0, missing.Flag);
        Assert.Contains("/f/nope", missing.Message, StringComparison.Ordinal);

        var withoutQueue = await fx.Client.RunCommandSubmitAsync(new SubmitCommand { NodePath = { "/f/a" }, Priority = 9 });
        Assert.NotEqual(0, withoutQueue.Flag);
        Assert.Contains("queue", withoutQueue.Message, StringComparison.Ordinal);

        var withParameters = Queue(9, "/f/a");
        withParameters.Parameters["X"] = "1";
        var parameters = await fx.Client.RunCommandSubmitAsync(withParameters);
        Assert.NotEqual(0, parameters.Flag);
        Assert.Contains("parameters", parameters.Message, StringComparison.Ordinal);

        // Had any of them queued a (before c in the tree, or with priority 9), a would be submitted before c.
        Assert.Equal(0, (await fx.Client.RunCommandSubmitAsync(Queue(null, "/f/c"))).Flag);
        await Complete(fx, hold);
        var next = await fx.Jobs.NextSubmissionAsync();
        Assert.Equal("/f/c", next.TaskPath);
        await Complete(fx, next);
        Assert.False(fx.Jobs.TryNext(out var more), more?.TaskPath);
    }

    [Fact]
    public async Task Watch_with_a_queued_run_reports_the_end_of_the_task()
    {
        var (fx, hold) = await StartAsync();
        await using var _ = fx;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var request = new WatchRequest { NodePath = { "/f/a" }, Statuses = { Protocol.NodeStatus.Complete, Protocol.NodeStatus.Aborted }, Run = Queue(2) };
        await using var events = fx.Client.WatchStatusAsync(request, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(0, events.Current.Flag);
        Assert.Equal(Protocol.NodeStatus.Queued, events.Current.Status); // waiting for hold's token

        await Complete(fx, hold);
        var job = await fx.Jobs.NextSubmissionAsync();
        Assert.Equal("/f/a", job.TaskPath);
        await Complete(fx, job);
        var last = events.Current;
        while (await events.MoveNextAsync())
        {
            last = events.Current;
        }

        Assert.Equal((Protocol.NodeStatus.Complete, true), (last.Status, last.Reached));
    }
}
