using System.Globalization;
using Takler.Cli.Tests.TestSupport;
using Takler.Core.Nodes;
using Task = System.Threading.Tasks.Task;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Cli.Tests;

/// <summary>
/// <c>run --wait</c>, <c>wait</c> and fail-over, with takler_client as a real process against a real server: the
/// test plays each job's part with takler_client's own child commands.
/// </summary>
public sealed class RunAndWaitTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        // gate never completes, so a, b and c run only when asked to.
        var flow = new Flow("f");
        flow.AddTask(new TaskNode("gate"));
        foreach (var name in new[] { "a", "b", "c" })
        {
            flow.AddTask(new TaskNode(name)).AddTrigger("gate == complete");
        }

        _server = await TestServer.StartAsync(prepare: s => s.Bunch.AddFlow(flow));
        Assert.Equal(0, (await Run("begin", "f")).ExitCode);
        Assert.Equal("/f/gate", (await _server.Jobs.NextSubmissionAsync()).TaskPath);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<CliResult> Run(params string[] args) => CliProcess.RunAsync([.. args, .. _server.Address]);

    private CliProcess Start(params string[] args) => CliProcess.Start([.. args, .. _server.Address]);

    private static Dictionary<string, string> JobEnvironment(Takler.Server.Jobs.JobRequest job) => new()
    {
        ["TAKLER_NAME"] = job.TaskPath,
        ["TAKLER_PASS"] = job.Password,
        ["TAKLER_TRY_NO"] = job.TryNo.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A child command as the job would send it, to this server.</summary>
    private Task<CliResult> Child(Takler.Server.Jobs.JobRequest job, params string[] args) =>
        CliProcess.RunAsync([.. args, .. _server.Address], JobEnvironment(job));

    [Fact]
    public async Task Run_wait_returns_0_when_the_task_completes()
    {
        using var run = Start("run", "--wait", "--timeout", "60", "/f/a");
        var job = await _server.Jobs.NextSubmissionAsync();
        Assert.Equal("/f/a", job.TaskPath);
        Assert.Equal(0, (await Child(job, "init")).ExitCode);
        Assert.Equal(0, (await Child(job, "complete")).ExitCode);

        var result = await run.WaitAsync(Patience);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("/f/a complete (try 1)\n", result.Stdout);
    }

    [Fact]
    public async Task Run_wait_returns_1_when_the_task_aborts()
    {
        using var run = Start("run", "--wait", "/f/b");
        var job = await _server.Jobs.NextSubmissionAsync();
        Assert.Equal(0, (await Child(job, "abort", "--reason", "bad input")).ExitCode);

        var result = await run.WaitAsync(Patience);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("/f/b aborted (try 1)\n", result.Stdout);
    }

    [Fact]
    public async Task Run_wait_returns_5_when_the_timeout_passes()
    {
        var result = await Run("run", "--wait", "--timeout", "0.5", "/f/c");

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Equal("/f/c timed out (last seen submitted, try 1)\n", result.Stdout);
        Assert.Equal("/f/c", (await _server.Jobs.NextSubmissionAsync()).TaskPath);
    }

    [Fact]
    public async Task Run_wait_of_a_server_that_is_not_there_returns_4_unknown()
    {
        var port = TestServer.FreePort().ToString(CultureInfo.InvariantCulture);
        var result = await CliProcess.RunAsync(["run", "--wait", "/f/a", "--host", "127.0.0.1", "--port", port]);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Equal("/f/a unknown\n", result.Stdout);
        Assert.Contains("ClientConnectionError", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_returns_when_the_task_completes_and_at_once_when_it_already_is()
    {
        Assert.Equal(0, (await Run("run", "/f/a")).ExitCode);
        var job = await _server.Jobs.NextSubmissionAsync();
        Assert.Equal(0, (await Child(job, "init")).ExitCode);

        using var wait = Start("wait", "--timeout", "60", "/f/a");
        using var waitAny = Start("wait", "--status", "complete,aborted", "/f/a");
        Assert.Equal(0, (await Child(job, "complete")).ExitCode);

        var result = await wait.WaitAsync(Patience);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("/f/a complete (try 1)\n", result.Stdout);
        Assert.Equal(0, (await waitAny.WaitAsync(Patience)).ExitCode);
        Assert.Equal(0, (await Run("wait", "/f/a")).ExitCode);
    }

    [Fact]
    public async Task Wait_rejects_a_bad_status_or_timeout_naming_it()
    {
        var status = await Run("wait", "--status", "complete,done", "/f/a");
        Assert.Equal(2, status.ExitCode);
        Assert.Contains("Error: Invalid value for '--status': 'done' is not one of", status.Stderr, StringComparison.Ordinal);

        var timeout = await Run("wait", "--timeout", "soon", "/f/a");
        Assert.Equal(2, timeout.ExitCode);
        Assert.Contains("'soon' is not a number of seconds", timeout.Stderr, StringComparison.Ordinal);

        var unknown = await Run("wait", "/f/nope");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("node is not found: /f/nope", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_param_applies_to_that_run_only()
    {
        Assert.Equal(0, (await Run("run", "--param", "MODEL=gfs", "--param", "STEP=6=h", "/f/a")).ExitCode);
        var first = await _server.Jobs.NextSubmissionAsync();
        Assert.Equal(("gfs", "6=h"), (first.Variables["MODEL"], first.Variables["STEP"]));

        Assert.Equal(0, (await Run("run", "--force", "/f/a")).ExitCode);
        var second = await _server.Jobs.NextSubmissionAsync();
        Assert.False(second.Variables.ContainsKey("MODEL"));

        var bad = await Run("run", "--param", "1X=y", "/f/a");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("'1X' is not a valid parameter name", bad.Stderr, StringComparison.Ordinal);
        var usage = await Run("run", "--param", "MODEL", "/f/a");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("'MODEL' is not NAME=VALUE", usage.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Child_command_fails_over_to_the_next_server_of_TAKLER_HOST()
    {
        Assert.Equal(0, (await Run("run", "/f/a")).ExitCode);
        var job = await _server.Jobs.NextSubmissionAsync();
        var env = JobEnvironment(job);
        env["TAKLER_HOST"] = $"127.0.0.1:{TestServer.FreePort()},127.0.0.1:{_server.Port}";

        var result = await CliProcess.RunAsync(["init"], env);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("received: success\n", result.Stdout);
        var status = await Run("status", "/f/a");
        Assert.Contains("status: active\n", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_fail_over_through_the_servers_of_TAKLER_HOSTFILE()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("takler-hostfile").FullName, "servers");
        await File.WriteAllTextAsync(file, $"# primary, down\n127.0.0.1:{TestServer.FreePort()}\n\n127.0.0.1:{_server.Port}  # backup\n");

        var result = await CliProcess.RunAsync(["status", "/f/gate"], new Dictionary<string, string> { ["TAKLER_HOSTFILE"] = file });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("status: submitted\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_host_file_line_is_named_with_file_and_line()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("takler-hostfile").FullName, "servers");
        await File.WriteAllTextAsync(file, "# servers\nlogin1:33083\nlogin2:port\n");

        var result = await CliProcess.RunAsync(["ping"], new Dictionary<string, string> { ["TAKLER_HOSTFILE"] = file });

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"{file}:3: 'login2:port' is not host[:port]", result.Stderr, StringComparison.Ordinal);
    }
}
