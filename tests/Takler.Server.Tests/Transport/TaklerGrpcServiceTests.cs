using Takler.Core.Nodes;
using Takler.Protocol;
using Task = System.Threading.Tasks.Task;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Tests.Transport;

public class TaklerGrpcServiceTests
{
    private static ChildCommandOptions At(string path) => new() { NodePath = path };

    [Fact]
    public async Task Completing_a_task_submits_its_dependant_in_the_same_batch_without_a_periodic_pass()
    {
        await using var fx = await ServerFixture.StartAsync(s => new TaklerServerFlows(s.Bunch).Chain("f", 5));
        var begin = await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" });
        Assert.Equal(0, begin.Flag);

        var job = await fx.Jobs.NextSubmissionAsync();
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal($"/f/t{i}", job.TaskPath);
            Assert.Equal(1, job.TryNo);
            var pass = ServerFixture.Pass(job.Password);
            Assert.Equal(0, (await fx.Client.RunCommandInitAsync(new InitCommand { ChildOptions = At(job.TaskPath), TaskId = "42" }, pass)).Flag);
            var batchesBefore = fx.Server.Engine.Batches;
            Assert.Equal(0, (await fx.Client.RunCommandCompleteAsync(new CompleteCommand { ChildOptions = At(job.TaskPath) }, pass)).Flag);
            if (i < 5)
            {
                job = await fx.Jobs.NextSubmissionAsync();
                // The dependant went out in the batch that applied the complete: no periodic pass (1 hour) ran in between.
                Assert.InRange(fx.Server.Engine.Batches - batchesBefore, 1, 2);
            }
        }

        var show = await fx.Client.RunRequestShowAsync(new ShowRequest());
        Assert.Contains("\"name\": \"f\", \"state\": {\"status\": 2", show.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_child_command_without_the_jobs_password_is_a_zombie_and_changes_nothing()
    {
        await using var fx = await ServerFixture.StartAsync(s => new TaklerServerFlows(s.Bunch).Chain("f", 1));
        await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" });
        var job = await fx.Jobs.NextSubmissionAsync();

        var noPass = await fx.Client.RunCommandInitAsync(new InitCommand { ChildOptions = At(job.TaskPath), TaskId = "1" });
        Assert.Equal(31, noPass.Flag);
        var wrong = await fx.Client.RunCommandInitAsync(new InitCommand { ChildOptions = At(job.TaskPath), TaskId = "1" }, ServerFixture.Pass("nope"));
        Assert.Equal(31, wrong.Flag);
        Assert.StartsWith("ZombieError: ", wrong.Message, StringComparison.Ordinal);

        var status = await fx.Client.RequestStatusAsync(new StatusRequest { NodePath = job.TaskPath });
        Assert.Equal(Protocol.NodeStatus.Submitted, status.Status);
        var zombies = await fx.Client.RequestZombiesAsync(new ZombiesRequest());
        Assert.Equal(2, zombies.Zombies.Count);
        Assert.All(zombies.Zombies, z => Assert.Equal(job.TaskPath, z.NodePath));
    }

    [Fact]
    public async Task Passwordless_child_commands_work_when_allowed_as_Takler_clients_send_none()
    {
        await using var fx = await ServerFixture.StartAsync(s => new TaklerServerFlows(s.Bunch).Chain("f", 1), allowPasswordless: true);
        await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" });
        var job = await fx.Jobs.NextSubmissionAsync();
        Assert.Equal(0, (await fx.Client.RunCommandInitAsync(new InitCommand { ChildOptions = At(job.TaskPath), TaskId = "1" })).Flag);
        Assert.Equal(0, (await fx.Client.RunCommandEventAsync(new EventCommand { ChildOptions = At(job.TaskPath), EventName = "nope" })).Flag);
        var meter = await fx.Client.RunCommandMeterAsync(new MeterCommand { ChildOptions = At(job.TaskPath), MeterName = "m", MeterValue = "x" });
        Assert.Equal(13, meter.Flag);
        Assert.Equal(0, (await fx.Client.RunCommandAbortAsync(new AbortCommand { ChildOptions = At(job.TaskPath), Reason = "bad" })).Flag);
        var status = await fx.Client.RequestStatusAsync(new StatusRequest { NodePath = job.TaskPath });
        Assert.Equal(Protocol.NodeStatus.Aborted, status.Status);
        Assert.Equal("bad", status.AbortedReason);
    }

    [Theory]
    [InlineData("f/t1", 11, "InvalidNodePathError: absolute node path is illegal: f/t1")]
    [InlineData("/", 11, "InvalidNodePathError: absolute node path is illegal: /")]
    [InlineData("/f/nope", 10, "NodeNotFoundError: node is not found: /f/nope")]
    [InlineData("/f", 12, "NodeTypeError: node must be Task: /f")]
    public async Task Child_command_path_errors_use_Takler_flags_and_messages(string path, int flag, string message)
    {
        await using var fx = await ServerFixture.StartAsync(s => new TaklerServerFlows(s.Bunch).Chain("f", 1), allowPasswordless: true);
        var response = await fx.Client.RunCommandCompleteAsync(new CompleteCommand { ChildOptions = At(path) });
        Assert.Equal(flag, response.Flag);
        Assert.Equal(message, response.Message);
    }

    [Fact]
    public async Task Control_commands_on_a_flow_not_begun_give_flow_state_and_multi_path_commands_change_nothing_on_error()
    {
        await using var fx = await ServerFixture.StartAsync(s => new TaklerServerFlows(s.Bunch).Chain("f", 2));
        var requeue = await fx.Client.RunCommandRequeueAsync(new RequeueCommand { NodePath = { "/f/t1" } });
        Assert.Equal(14, requeue.Flag);
        Assert.Equal("FlowStateError: flow is not begun: f", requeue.Message);

        var suspend = await fx.Client.RunCommandSuspendAsync(new SuspendCommand { NodePath = { "/f/t1", "/f/nope" } });
        Assert.Equal(10, suspend.Flag);
        var tree = await fx.Client.RequestTreeAsync(new TreeRequest { RootPath = "/f/t1" });
        Assert.False(tree.Nodes[0].Suspended);
    }

    [Fact]
    public async Task Begin_twice_is_refused_unless_forced_and_an_unknown_flow_is_not_found()
    {
        await using var fx = await ServerFixture.StartAsync(s => new TaklerServerFlows(s.Bunch).Chain("f", 1));
        Assert.Equal(0, (await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" })).Flag);
        var again = await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" });
        Assert.Equal(14, again.Flag);
        Assert.Equal("FlowStateError: flow is already begun: f", again.Message);
        Assert.Equal(0, (await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f", Force = true })).Flag);
        var unknown = await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "x" });
        Assert.Equal(10, unknown.Flag);
    }

    [Fact]
    public async Task Load_of_def_text_then_tree_query_and_why()
    {
        await using var fx = await ServerFixture.StartAsync();
        const string def = "suite s\n  family f\n    task a\n    task b\n      trigger a == complete\n  endfamily\nendsuite\n";
        Assert.Equal(0, (await fx.Client.RunCommandLoadDefAsync(new LoadDefCommand { Definition = def })).Flag);
        var clash = await fx.Client.RunCommandLoadDefAsync(new LoadDefCommand { Definition = def });
        Assert.NotEqual(0, clash.Flag);

        var bad = await fx.Client.RunCommandLoadDefAsync(new LoadDefCommand { Definition = "suite x\n  task 1a b\nendsuite\n", Replace = true });
        Assert.NotEqual(0, bad.Flag);

        var tree = await fx.Client.RequestTreeAsync(new TreeRequest { AllAttributes = true });
        Assert.Equal(["/s", "/s/f", "/s/f/a", "/s/f/b"], tree.Nodes.Select(n => n.Path));
        Assert.Equal("a == complete", tree.Nodes[3].Trigger.Expression);

        var why = await fx.Client.RequestWhyAsync(new WhyRequest { NodePath = "/s/f/b" });
        Assert.Contains(why.Reasons, r => r.Contains("not begun", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tree_sends_generated_parameters_only_when_asked_and_never_the_job_password()
    {
        await using var fx = await ServerFixture.StartAsync(s => new TaklerServerFlows(s.Bunch).Chain("f", 1));
        await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" });
        var job = await fx.Jobs.NextSubmissionAsync();
        Assert.False(string.IsNullOrEmpty(job.Password));

        var all = await fx.Client.RequestTreeAsync(new TreeRequest { RootPath = "/f/t1", AllAttributes = true });
        Assert.Empty(all.Nodes[0].GeneratedParameters);

        var generated = await fx.Client.RequestTreeAsync(new TreeRequest { RootPath = "/f/t1", Attributes = { AttributeKind.GeneratedParameter } });
        var values = generated.Nodes[0].GeneratedParameters.ToDictionary(p => p.Name, p => p.StringValue);
        Assert.Equal("/f/t1", values["TAKLER_NAME"]);
        Assert.Equal("1", values["TAKLER_TRY_NO"]);
        Assert.False(values.ContainsKey("TAKLER_PASS"));
        Assert.False(values.ContainsKey("ECF_PASS"));
        Assert.DoesNotContain(generated.Nodes[0].GeneratedParameters, p => p.StringValue == job.Password);
    }

    [Fact]
    public async Task Run_submits_a_task_ignoring_its_trigger_and_kill_aborts_it()
    {
        await using var fx = await ServerFixture.StartAsync(s => new TaklerServerFlows(s.Bunch).Chain("f", 2));
        await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "f" });
        var first = await fx.Jobs.NextSubmissionAsync();
        Assert.Equal("/f/t1", first.TaskPath);
        Assert.Equal(0, (await fx.Client.RunCommandRunAsync(new RunCommand { NodePath = { "/f/t2" } })).Flag);
        var second = await fx.Jobs.NextSubmissionAsync();
        Assert.Equal("/f/t2", second.TaskPath);

        Assert.Equal(0, (await fx.Client.RunCommandKillAsync(new KillCommand { NodePath = { "/f/t2" } })).Flag);
        var status = await fx.Client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t2" });
        Assert.Equal(Protocol.NodeStatus.Aborted, status.Status);
        Assert.Equal("killed", status.AbortedReason);
        Assert.Single(fx.Jobs.Killed);
    }

    [Fact]
    public async Task Show_returns_Takler_json_and_load_accepts_it_back()
    {
        await using var fx = await ServerFixture.StartAsync(s => new TaklerServerFlows(s.Bunch).Chain("f", 2));
        var show = await fx.Client.RunRequestShowAsync(new ShowRequest());
        Assert.StartsWith("{\"name\": \"\", \"state\": {\"status\": 1, \"suspended\": false}, \"class_type\": {\"module\": \"takler.core.bunch\"", show.Output, StringComparison.Ordinal);
        var badType = await fx.Client.RunCommandLoadAsync(new LoadCommand { FlowType = "yaml", Flow = Google.Protobuf.ByteString.CopyFromUtf8("{}") });
        Assert.Equal(13, badType.Flag);
        var badJson = await fx.Client.RunCommandLoadAsync(new LoadCommand { FlowType = "json", Flow = Google.Protobuf.ByteString.CopyFromUtf8("{bad") });
        Assert.Equal(15, badJson.Flag);
    }
}

/// <summary>Builds test flows.</summary>
internal sealed class TaklerServerFlows(Bunch bunch)
{
    /// <summary>A flow of <paramref name="count"/> tasks t1..tN, each triggered by the previous one.</summary>
    public void Chain(string name, int count)
    {
        var flow = new Flow(name);
        for (var i = 1; i <= count; i++)
        {
            var task = flow.AddTask(new TaskNode($"t{i}"));
            task.AddEvent("e").AddMeter("m", 0, 10);
            if (i > 1)
            {
                task.AddTrigger($"t{i - 1} == complete");
            }
        }

        bunch.AddFlow(flow);
    }
}
