using Takler.Client.Tests.TestSupport;
using Takler.Protocol;
using ForceState = Takler.Protocol.ForceCommand.Types.ForceState;
using DepType = Takler.Protocol.FreeDepCommand.Types.DepType;

namespace Takler.Client.Tests;

/// <summary>The client against a real server on a loopback port.</summary>
public sealed class TaklerServiceClientTests : IAsyncLifetime
{
    private const string Definition = """
        suite f
          family fam
            task t1
              event e1
              meter m1 0 10
              label l1 ""
            task t2
              trigger t1 == complete
          endfamily
        endsuite

        """;

    private InProcessServer _server = null!;

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(TaklerServiceClient Client, Takler.Server.Jobs.JobRequest Job)> BegunAsync()
    {
        var client = _server.Client();
        await client.LoadDefinitionAsync(Definition);
        await client.BeginAsync("f");

        // The engine's scheduling pass is not this client's subject: `run` submits the task directly.
        await client.RunAsync(["/f/fam/t1"]);
        var job = await _server.Jobs.NextSubmissionAsync();
        client.Job = new JobIdentity(job.Password, job.TryNo, "4242");
        return (client, job);
    }

    [Fact]
    public async Task Ping_returns_the_round_trip()
    {
        using var client = _server.Client();
        var elapsed = await client.PingAsync();
        Assert.True(elapsed > TimeSpan.Zero && elapsed < Timeouts.Event, elapsed.ToString());
    }

    [Fact]
    public async Task A_job_life_through_child_commands_with_password_try_and_rid()
    {
        var (client, job) = await BegunAsync();
        using var _ = client;
        Assert.Equal("/f/fam/t1", job.TaskPath);

        await client.InitAsync("/f/fam/t1");
        var status = await client.StatusAsync("/f/fam/t1");
        Assert.Equal(NodeStatus.Active, status.Status);
        Assert.Equal("4242", status.Rid);
        Assert.Equal(job.TryNo, status.TryNo);

        await client.EventAsync("/f/fam/t1", "e1");
        await client.MeterAsync("/f/fam/t1", "m1", 5);
        await client.LabelAsync("/f/fam/t1", "l1", "half way");
        status = await client.StatusAsync("/f/fam/t1");
        Assert.Equal(5, Assert.Single(status.Meters).Value);

        var tree = await client.TreeAsync("/f/fam/t1");
        var t1 = Assert.Single(tree);
        Assert.True(Assert.Single(t1.Events).Value);
        Assert.Equal("half way", Assert.Single(t1.Labels).Value);

        await client.CompleteAsync("/f/fam/t1");
        Assert.Equal(NodeStatus.Complete, (await client.StatusAsync("/f/fam/t1")).Status);
    }

    [Fact]
    public async Task A_wrong_password_is_a_zombie_error_and_listed()
    {
        var (client, _) = await BegunAsync();
        using var _c = client;
        client.Job = new JobIdentity("wrong", 1, "1");

        var e = await Assert.ThrowsAsync<TaklerClientException>(() => client.InitAsync("/f/fam/t1"));

        Assert.True(e.IsServerResponse);
        Assert.Equal(ServiceResponseFlag.Zombie, e.ErrorCode);
        Assert.Equal(3, e.ExitCode);
        Assert.Equal("init", e.Command);
        Assert.Equal(["/f/fam/t1"], e.Paths);
        var zombie = Assert.Single(await client.ZombiesAsync());
        Assert.Equal("/f/fam/t1", zombie.NodePath);
        Assert.Equal("init", zombie.ChildCommand);
    }

    [Fact]
    public async Task Abort_records_the_reason()
    {
        var (client, _) = await BegunAsync();
        using var _c = client;

        await client.AbortAsync("/f/fam/t1", "boom");

        var status = await client.StatusAsync("/f/fam/t1");
        Assert.Equal(NodeStatus.Aborted, status.Status);
        Assert.Equal("boom", status.AbortedReason);
    }

    [Fact]
    public async Task Control_commands_change_the_tree()
    {
        var (client, _) = await BegunAsync();
        using var _c = client;

        await client.SuspendAsync(["/f/fam/t2"]);
        Assert.True((await client.StatusAsync("/f/fam/t2")).Suspended);
        await client.ResumeAsync(["/f/fam/t2"]);
        Assert.False((await client.StatusAsync("/f/fam/t2")).Suspended);

        await client.FreeDepAsync(DepType.Trigger, ["/f/fam/t2"]);

        await client.ForceAsync(ForceState.Set, ["/f/fam/t1:e1"]);
        Assert.True(Assert.Single(Assert.Single(await client.TreeAsync("/f/fam/t1")).Events).Value);
        await client.ForceAsync(ForceState.Aborted, ["/f/fam/t1"], recursive: false);
        Assert.Equal(NodeStatus.Aborted, (await client.StatusAsync("/f/fam/t1")).Status);
        await client.RequeueAsync(["/f/fam/t1"]);
        // Requeued t1 has no dependencies left, so the scheduler may submit it in the same batch.
        Assert.Contains((await client.StatusAsync("/f/fam/t1")).Status, new[] { NodeStatus.Queued, NodeStatus.Submitted });
        await client.RunAsync(["/f/fam/t1"], force: true);
        // Other tasks may be submitted meanwhile (t2's trigger was freed): wait for t1's.
        while ((await _server.Jobs.NextSubmissionAsync()).TaskPath != "/f/fam/t1")
        {
        }

        await client.KillAsync(["/f/fam/t1"]);

        await client.DeleteAsync(["/f/fam/t2"], force: true);
        Assert.Equal(["f", "fam", "t1"], (await client.TreeAsync()).Select(n => n.Name));
    }

    [Fact]
    public async Task Load_takes_a_def_file_or_Takler_json_by_content()
    {
        using var client = _server.Client();
        var dir = Directory.CreateTempSubdirectory("takler-load");
        var def = Path.Combine(dir.FullName, "x.def");
        await File.WriteAllTextAsync(def, Definition);
        await client.LoadAsync(def);
        var json = Path.Combine(dir.FullName, "session.json");
        File.Copy(Fixtures.PathOf("server_session.load.json"), json);
        await client.LoadAsync(json);

        Assert.Equal(["f", "demo"], (await client.TreeAsync(maxDepth: 1)).Where(n => n.Depth == 0).Select(n => n.Name));
        var shown = await client.ShowAsync();
        Assert.StartsWith("{", shown, StringComparison.Ordinal);

        var e = await Assert.ThrowsAsync<TaklerClientException>(() => client.LoadAsync(def));
        Assert.Equal(ServiceResponseFlag.UnsupportedValue, e.ErrorCode);
        await client.LoadAsync(def, replace: true);
    }

    [Fact]
    public async Task Missing_load_file_is_a_local_file_not_found_error()
    {
        using var client = _server.Client();
        var e = await Assert.ThrowsAsync<TaklerClientException>(() => client.LoadAsync("/nonexistent/x.def"));
        Assert.Equal("FileNotFoundError: [Errno 2] No such file or directory: '/nonexistent/x.def'", e.Message);
        Assert.Equal(3, e.ExitCode);
    }

    [Fact]
    public async Task Server_errors_carry_flag_message_server_and_paths()
    {
        using var client = _server.Client();
        await client.LoadDefinitionAsync(Definition);

        var e = await Assert.ThrowsAsync<TaklerClientException>(() => client.RequeueAsync(["/f/fam/t1"]));
        Assert.Equal(ServiceResponseFlag.FlowState, e.ErrorCode);
        Assert.Equal("flow_state", e.FlagName);
        Assert.Equal($"127.0.0.1:{_server.Port}", e.Server);
        Assert.Equal("requeue", e.Command);
        Assert.Equal(["/f/fam/t1"], e.Paths);

        e = await Assert.ThrowsAsync<TaklerClientException>(() => client.StatusAsync("/f/nope"));
        Assert.Equal(ServiceResponseFlag.NodeNotFound, e.ErrorCode);
        Assert.Equal(1, e.ExitCode);

        e = await Assert.ThrowsAsync<TaklerClientException>(() => client.BeginAsync("nope"));
        Assert.Equal("node_not_found: NodeNotFoundError: flow is not found: nope", e.Message);
    }

    [Fact]
    public async Task Stats_count_the_tasks()
    {
        using var client = _server.Client();
        await client.LoadDefinitionAsync(Definition);
        var stats = await client.StatsAsync();
        Assert.Equal(1, stats.FlowCount);
        Assert.Equal(2, stats.TaskCount);
    }
}
