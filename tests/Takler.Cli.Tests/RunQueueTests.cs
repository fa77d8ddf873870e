using System.Globalization;
using Takler.Cli.Tests.TestSupport;
using Takler.Core.Nodes;
using Takler.Server.Jobs;
using Task = System.Threading.Tasks.Task;

namespace Takler.Cli.Tests;

/// <summary>
/// <c>run --queue --priority</c> with takler_client as a real process against a real server: queued tasks wait for
/// their limit's token and then go highest priority first; the test plays each job's part with child commands.
/// </summary>
public sealed class RunQueueTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private TestServer _server = null!;
    private JobRequest _hold = null!;

    public async Task InitializeAsync()
    {
        // hold takes the only token of "one" at begin; a, b and c need it too and wait for gate, which never completes.
        var flow = new Flow("f");
        flow.AddLimit("one", 1);
        flow.AddTask("gate");
        flow.AddTask("hold").AddInLimit("one");
        foreach (var name in new[] { "a", "b", "c" })
        {
            flow.AddTask(name).AddInLimit("one").AddTrigger("gate == complete");
        }

        _server = await TestServer.StartAsync(prepare: s => s.Bunch.AddFlow(flow));
        Assert.Equal(0, (await Run("begin", "f")).ExitCode);
        var begun = new[] { await _server.Jobs.NextSubmissionAsync(), await _server.Jobs.NextSubmissionAsync() };
        _hold = begun.Single(j => j.TaskPath == "/f/hold");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<CliResult> Run(params string[] args) => CliProcess.RunAsync([.. args, .. _server.Address]);

    private CliProcess Start(params string[] args) => CliProcess.Start([.. args, .. _server.Address]);

    /// <summary>The job's init and complete, as it would send them.</summary>
    private async Task Complete(JobRequest job)
    {
        var env = new Dictionary<string, string>
        {
            ["TAKLER_NAME"] = job.TaskPath,
            ["TAKLER_PASS"] = job.Password,
            ["TAKLER_TRY_NO"] = job.TryNo.ToString(CultureInfo.InvariantCulture),
        };
        Assert.Equal(0, (await CliProcess.RunAsync(["init", .. _server.Address], env)).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(["complete", .. _server.Address], env)).ExitCode);
    }

    [Fact]
    public async Task Run_queue_submits_when_the_token_frees_highest_priority_first()
    {
        Assert.Equal(0, (await Run("run", "--queue", "--priority", "1", "/f/a")).ExitCode);
        Assert.Equal(0, (await Run("run", "--queue", "--priority", "5", "/f/b")).ExitCode);
        Assert.Equal(0, (await Run("run", "--queue", "--priority", "3", "/f/c")).ExitCode);

        await Complete(_hold);
        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var job = await _server.Jobs.NextSubmissionAsync();
            order.Add(job.TaskPath);
            await Complete(job);
        }

        Assert.Equal(["/f/b", "/f/c", "/f/a"], order);
    }

    [Fact]
    public async Task Run_queue_wait_returns_0_once_the_queued_task_completes()
    {
        using var run = Start("run", "--queue", "--priority", "2", "--wait", "--timeout", "60", "/f/a");
        await Complete(_hold); // a was queued behind hold, or is queued now: either way it goes next
        var job = await _server.Jobs.NextSubmissionAsync();
        Assert.Equal("/f/a", job.TaskPath);
        await Complete(job);

        var result = await run.WaitAsync(Patience);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("/f/a complete (try 1)\n", result.Stdout);
    }

    [Fact]
    public async Task Run_plain_still_ignores_limits()
    {
        Assert.Equal(0, (await Run("run", "/f/a")).ExitCode);
        Assert.Equal("/f/a", (await _server.Jobs.NextSubmissionAsync()).TaskPath); // while hold has the only token
    }

    [Fact]
    public async Task Run_rejects_a_bad_priority_and_changes_nothing()
    {
        var bad = await Run("run", "--queue", "--priority", "high", "/f/a");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("Error: Invalid value for '--priority': 'high' is not an integer.", bad.Stderr, StringComparison.Ordinal);

        var alone = await Run("run", "--priority", "3", "/f/a");
        Assert.Equal(2, alone.ExitCode);
        Assert.Contains("--priority needs --queue", alone.Stderr, StringComparison.Ordinal);

        var withParam = await Run("run", "--queue", "--param", "X=1", "/f/a");
        Assert.Equal(2, withParam.ExitCode);
        Assert.Contains("--param cannot be given with --queue", withParam.Stderr, StringComparison.Ordinal);

        // a, before c in the tree, would go first had any of these queued it.
        Assert.Equal(0, (await Run("run", "--queue", "/f/c")).ExitCode);
        await Complete(_hold);
        Assert.Equal("/f/c", (await _server.Jobs.NextSubmissionAsync()).TaskPath);
    }
}
