using System.Text.Json;
using Takler.Protocol;
using Xunit.Abstractions;

namespace Takler.Server.Tests.Wire;

/// <summary>
/// A real `takler_server` as grpc-js sees it (see grpcjs/client.js): every Takler RPC with Takler's flags and
/// messages (takler-compat README §4.3), Takler's recorded session replayed, and transport failures.
/// </summary>
public sealed class GrpcJsServerWireTests : IClassFixture<GrpcJsServerRun>
{
    /// <summary>The 16 RPCs of Takler's service (§4.1).</summary>
    private static readonly string[] TaklerRpcs =
    [
        "RunCommandInit", "RunCommandComplete", "RunCommandAbort", "RunCommandEvent", "RunCommandMeter",
        "RunCommandRequeue", "RunCommandSuspend", "RunCommandResume", "RunCommandRun", "RunCommandForce",
        "RunCommandFreeDep", "RunCommandLoad", "RunCommandBegin", "RunRequestShow", "RunRequestPing", "QueryCoroutine",
    ];

    private readonly GrpcJsServerRun _run;
    private readonly ITestOutputHelper _output;

    public GrpcJsServerWireTests(GrpcJsServerRun run, ITestOutputHelper output)
    {
        _run = run;
        _output = output;
    }

    [Fact]
    public void Every_Takler_rpc_was_called_and_answered_at_the_grpc_level()
    {
        _output.WriteLine(_run.Results.GetRawText());
        var steps = Steps().ToList();
        Assert.Equal(TaklerRpcs.Order(), steps.Select(s => s.GetProperty("method").GetString()!).Distinct().Order());
        Assert.All(steps, s => Assert.Equal(0, s.GetProperty("code").GetInt32()));
    }

    [Theory]
    [InlineData("load")]
    [InlineData("suspend")]
    [InlineData("begin")]
    [InlineData("init")]
    [InlineData("event")]
    [InlineData("meter")]
    [InlineData("complete")]
    [InlineData("run")]
    [InlineData("abort")]
    [InlineData("requeue")]
    [InlineData("run.again")]
    [InlineData("run.refused")]
    [InlineData("force.aborted")]
    [InlineData("force.clear")]
    [InlineData("freeDep")]
    [InlineData("resume")]
    [InlineData("idle.load")]
    [InlineData("idle.suspend")]
    [InlineData("idle.resume")]
    [InlineData("begin.force")]
    [InlineData("begin.again")]
    [InlineData("idle.run.begun")]
    [InlineData("idle.init")]
    [InlineData("idle.event.unknown")]
    [InlineData("idle.meter.unknown")]
    [InlineData("idle.complete")]
    public void Takler_session_command_succeeds_with_flag_0_and_an_empty_message(string step)
    {
        var response = Response(step);
        Assert.Equal(0, response.GetProperty("flag").GetInt32());
        Assert.Equal(string.Empty, response.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("complete.notFound", 10, "NodeNotFoundError: node is not found: /demo/nope")]
    [InlineData("init.nodeType", 12, "NodeTypeError: node must be Task: /demo/c1")]
    [InlineData("begin.already", 14, "FlowStateError: flow is already begun: demo")]
    [InlineData("begin.notFound", 10, "NodeNotFoundError: flow is not found: nope")]
    [InlineData("load.badJson", 15, "InvalidRequestError: flow definition is not valid json: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)")]
    [InlineData("requeue.relative", 11, "InvalidNodePathError: absolute node path is illegal: demo")]
    [InlineData("idle.requeue", 14, "FlowStateError: flow is not begun: idle")]
    [InlineData("idle.run", 14, "FlowStateError: flow is not begun: idle")]
    [InlineData("idle.force", 14, "FlowStateError: flow is not begun: idle")]
    [InlineData("idle.freeDep", 14, "FlowStateError: flow is not begun: idle")]
    [InlineData("suspend.notFound", 10, "NodeNotFoundError: node is not found: /idle/nope")]
    [InlineData("resume.slash", 11, "InvalidNodePathError: absolute node path is illegal: /")]
    [InlineData("run.notFound", 10, "NodeNotFoundError: node is not found: /demo/nope")]
    [InlineData("force.setNode", 13, "UnsupportedValueError: state set is not supported for Node: /demo/t1")]
    [InlineData("force.unknownEvent", 10, "NodeNotFoundError: path is not found: /demo/t1:nope")]
    [InlineData("freeDep.relative", 11, "InvalidNodePathError: absolute node path is illegal: demo/t1")]
    [InlineData("abort.nodeType", 12, "NodeTypeError: node must be Task: /demo")]
    [InlineData("event.relative", 11, "InvalidNodePathError: absolute node path is illegal: t1")]
    [InlineData("meter.notFound", 10, "NodeNotFoundError: node is not found: /demo/t0")]
    [InlineData("begin.all.already", 14, "FlowStateError: flow is already begun: demo")]
    public void Failure_has_Taklers_flag_and_message(string step, int flag, string message)
    {
        var response = Response(step);
        Assert.Equal(flag, response.GetProperty("flag").GetInt32());
        Assert.Equal(message, response.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("force.eventComplete", 13, "UnsupportedValueError: state complete is not supported for Event")] // we add ": <path>"
    [InlineData("load.flowType", 13, "UnsupportedValueError: ")]
    public void Failure_has_Taklers_flag_and_message_start(string step, int flag, string messageStart)
    {
        var response = Response(step);
        Assert.Equal(flag, response.GetProperty("flag").GetInt32());
        Assert.StartsWith(messageStart, response.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_meter_for_a_completed_task_is_refused_as_a_zombie()
    {
        // Takler answers 99 "ValueError: value must be in [0, 10]" here (the value is out of range). We check the
        // job first: a child command for a task that is complete is a zombie's, whatever its value.
        var response = Response("meter.outOfRange");
        Assert.Equal(31, response.GetProperty("flag").GetInt32());
        Assert.StartsWith("ZombieError: ", response.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("show.loaded", "/demo", 1, false)]
    [InlineData("show.loaded", "/demo/t1", 1, false)]
    [InlineData("show.begun", "/demo", 4, false)]
    [InlineData("show.begun", "/demo/t1", 4, false)]
    [InlineData("show.begun", "/demo/t2", 3, true)]
    [InlineData("show.begun", "/demo/c1", 3, true)]
    [InlineData("show.begun", "/demo/c1/t3", 3, false)]
    [InlineData("show.active", "/demo/t1", 5, false)]
    [InlineData("show.active", "/demo", 5, false)]
    [InlineData("show.aborted", "/demo", 6, false)]
    [InlineData("show.aborted", "/demo/t1", 2, false)]
    [InlineData("show.aborted", "/demo/t2", 6, true)]
    [InlineData("show.all", "/demo/t2", 4, true)]
    [InlineData("show.all", "/demo/c1", 6, false)]
    public void Show_during_the_session_has_the_transcripts_states(string step, string path, int status, bool suspended)
    {
        using var show = Show(step);
        var node = Nodes(Flow(show.RootElement, "demo")).Single(n => n.Path == path).Node;
        Assert.Equal(status, node.GetProperty("state").GetProperty("status").GetInt32());
        Assert.Equal(suspended, node.GetProperty("state").GetProperty("suspended").GetBoolean());
    }

    [Fact]
    public void Final_show_matches_Taklers_recorded_session()
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(CompatFiles.PathOf("server_session.json")));
        using var actual = Show("show.final");
        var want = Nodes(Flow(expected.RootElement, "demo")).ToList();
        var got = Nodes(Flow(actual.RootElement, "demo")).ToDictionary(n => n.Path, n => n.Node);
        Assert.Equal(want.Select(n => n.Path), got.Keys);
        foreach (var (path, node) in want)
        {
            var ours = got[path];
            Assert.True(node.GetProperty("state").GetRawText() == ours.GetProperty("state").GetRawText(), $"{path}: {ours.GetProperty("state")}, Takler {node.GetProperty("state")}");
            foreach (var property in (string[])["begun", "try_no", "events", "meters"])
            {
                if (node.TryGetProperty(property, out var value))
                {
                    Assert.True(JsonElement.DeepEquals(value, ours.GetProperty(property)), $"{path} {property}: {ours.GetProperty(property)}, Takler {value}");
                }
            }

            // Takler sets task_id only on init; we also record the submitted job's process id, so compare where Takler has one.
            if (node.TryGetProperty("task_id", out var taskId) && taskId.ValueKind == JsonValueKind.String)
            {
                Assert.Equal(taskId.GetString(), ours.GetProperty("task_id").GetString());
            }
        }
    }

    [Fact]
    public void Preloaded_flow_is_shown_beside_the_loaded_ones()
    {
        using var show = Show("show.loaded");
        Assert.Equal(["preloaded", "demo"], show.RootElement.GetProperty("flows").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
    }

    [Fact]
    public void Coroutine_lists_the_servers_tasks()
    {
        var coroutines = Response("coroutine").GetProperty("coroutines");
        Assert.NotEqual(0, coroutines.GetArrayLength());
        Assert.All(coroutines.EnumerateArray(), c => Assert.False(string.IsNullOrEmpty(c.GetProperty("name").GetString())));
    }

    [Fact]
    public void Unknown_method_is_unimplemented() =>
        Assert.Equal(12, Transport("unknownMethod").GetProperty("code").GetInt32());

    [Fact]
    public void A_5_MiB_message_is_resource_exhausted_and_the_server_still_answers()
    {
        Assert.Equal(8, Transport("tooLarge").GetProperty("code").GetInt32());
        Assert.Equal(0, Transport("pingAfterTooLarge").GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("rawTruncated", 13)]
    [InlineData("rawCompressed", 13)]
    [InlineData("rawBadProtobuf", 13)]
    [InlineData("rawHugeLength", 8)]
    public void A_corrupt_frame_gets_an_error_status(string name, int grpcStatus)
    {
        var result = Transport(name);
        Assert.Equal(200, result.GetProperty("httpStatus").GetInt32());
        Assert.Equal(grpcStatus, result.GetProperty("grpcStatus").GetInt32());
    }

    [Fact]
    public async Task The_server_still_answers_after_everything()
    {
        Assert.Equal(0, Transport("pingAfterRaw").GetProperty("code").GetInt32());
        Assert.Equal(0, Transport("parallelPings").GetProperty("code").GetInt32());
        await _run.Server.Client.RunRequestPingAsync(new PingRequest());
        Assert.DoesNotContain(_run.Server.StandardOutput, l => l.Contains("| ERROR", StringComparison.Ordinal));
        Assert.Empty(_run.Server.StandardError);
    }

    private IEnumerable<JsonElement> Steps() => _run.Results.GetProperty("steps").EnumerateArray();

    private JsonElement Response(string step) =>
        Steps().Single(s => s.GetProperty("name").GetString() == step).GetProperty("response");

    private JsonElement Transport(string name) => _run.Results.GetProperty("transport").GetProperty(name);

    private JsonDocument Show(string step) => JsonDocument.Parse(Response(step).GetProperty("output").GetString()!);

    private static JsonElement Flow(JsonElement bunch, string name) =>
        bunch.GetProperty("flows").EnumerateArray().Single(f => f.GetProperty("name").GetString() == name);

    private static IEnumerable<(string Path, JsonElement Node)> Nodes(JsonElement node, string parent = "")
    {
        var path = $"{parent}/{node.GetProperty("name").GetString()}";
        yield return (path, node);
        if (node.TryGetProperty("children", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                foreach (var n in Nodes(child, path))
                {
                    yield return n;
                }
            }
        }
    }
}
