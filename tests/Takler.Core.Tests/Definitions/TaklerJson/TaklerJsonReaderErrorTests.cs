using Takler.Core.Definitions.TaklerJson;
using Takler.Core.Nodes;

namespace Takler.Core.Tests.Definitions.TaklerJson;

public class TaklerJsonReaderErrorTests
{
    private const string Task = """{"name": "t1", "state": {"status": 3, "suspended": false}, "class_type": {"module": "takler.core.task_node", "name": "Task"}, "task_id": null, "aborted_reason": null, "try_no": 0}""";

    [Theory]
    [InlineData("{bad", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)")]
    [InlineData("", "Expecting value: line 1 column 1 (char 0)")]
    [InlineData("[1,]", "Expecting value: line 1 column 4 (char 3)")]
    [InlineData("{\"a\": 1} x", "Extra data: line 1 column 10 (char 9)")]
    [InlineData("{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)")]
    [InlineData("{\"a\": 1 \"b\"}", "Expecting ',' delimiter: line 1 column 9 (char 8)")]
    [InlineData("\"abc", "Unterminated string starting at: line 1 column 1 (char 0)")]
    [InlineData("{\n  \"a\": }", "Expecting value: line 2 column 8 (char 9)")]
    [InlineData("{\"a\": \"\\x\"}", "Invalid \\escape: line 1 column 8 (char 7)")]
    [InlineData("{\"a\": \"\\u12\"}", "Invalid \\uXXXX escape: line 1 column 9 (char 8)")]
    [InlineData("{\"a\": \"b\tc\"}", "Invalid control character at: line 1 column 9 (char 8)")]
    [InlineData("{\"a\":1,}", "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)")]
    [InlineData("[01]", "Expecting ',' delimiter: line 1 column 3 (char 2)")]
    [InlineData("{\"\U0001F600\": x}", "Expecting value: line 1 column 7 (char 6)")]
    [InlineData("nul", "Expecting value: line 1 column 1 (char 0)")]
    public void Invalid_json_is_an_invalid_request_with_python_decoder_text(string json, string expected)
    {
        var e = Assert.Throws<TaklerException>(() => TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Tree));

        Assert.Equal(TaklerErrorCode.InvalidRequest, e.Code);
        Assert.Equal("flow definition is not valid json: " + expected, e.Message);
        Assert.Equal("InvalidRequestError: flow definition is not valid json: " + expected, e.ProtocolMessage);
    }

    [Fact]
    public void Invalid_json_bytes_are_an_invalid_request()
    {
        var e = Assert.Throws<TaklerException>(() => TaklerJsonReader.ReadFlow("{bad"u8.ToArray(), TaklerJsonReadMode.Tree));

        Assert.Equal(TaklerErrorCode.InvalidRequest, e.Code);
        Assert.EndsWith("(char 1)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1]", "TypeError: list indices must be integers or slices, not str")]
    [InlineData("\"x\"", "TypeError: string indices must be integers, not 'str'")]
    [InlineData("5", "TypeError: 'int' object is not subscriptable")]
    [InlineData("1.5", "TypeError: 'float' object is not subscriptable")]
    [InlineData("null", "TypeError: 'NoneType' object is not subscriptable")]
    [InlineData("true", "TypeError: 'bool' object is not subscriptable")]
    public void A_document_that_is_not_an_object_is_an_internal_error(string json, string expected)
    {
        AssertInternal(expected, () => TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Tree));
        AssertInternal(expected, () => TaklerJsonReader.ReadBunch(json));
    }

    [Theory]
    [InlineData("nope", "ModuleNotFoundError: No module named 'nope'")]
    [InlineData("takler.core.nope", "ModuleNotFoundError: No module named 'takler.core.nope'")]
    [InlineData("takler.core.flow.x", "ModuleNotFoundError: No module named 'takler.core.flow.x'; 'takler.core.flow' is not a package")]
    [InlineData("", "ValueError: Empty module name")]
    [InlineData("takler.core.task_node", "AttributeError: module 'takler.core.task_node' has no attribute 'Flow'")]
    public void An_unknown_class_type_is_an_internal_error_and_nothing_is_instantiated(string module, string expected)
    {
        var json = $$$"""{"name": "f", "class_type": {"module": "{{{module}}}", "name": "Flow"}}""";

        AssertInternal(expected, () => TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Tree));
    }

    [Theory]
    [InlineData("\"task_id\": null, ", "task_id")]
    [InlineData("\"aborted_reason\": null, ", "aborted_reason")]
    [InlineData(", \"try_no\": 0", "try_no")]
    [InlineData("\"name\": \"t1\", ", "name")]
    [InlineData("\"class_type\": {\"module\": \"takler.core.task_node\", \"name\": \"Task\"}, ", "class_type")]
    public void A_missing_required_node_key_is_a_key_error_in_both_modes(string removed, string key)
    {
        var json = Flow(Task.Replace(removed, string.Empty, StringComparison.Ordinal));

        AssertInternal($"KeyError: '{key}'", () => TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Tree));
        AssertInternal($"KeyError: '{key}'", () => TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Status));
    }

    [Fact]
    public void State_is_required_only_in_status_mode()
    {
        var json = Flow(Task.Replace("\"state\": {\"status\": 3, \"suspended\": false}, ", string.Empty, StringComparison.Ordinal));

        var flow = TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Tree);

        Assert.Equal(NodeStatus.Unknown, flow.Children[0].Status);
        AssertInternal("KeyError: 'state'", () => TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Status));
    }

    [Theory]
    [InlineData("""{"name": "e"}""", "KeyError: 'initial_value'", "KeyError: 'initial_value'")]
    [InlineData("""{"name": "e", "initial_value": false}""", null, "KeyError: 'value'")]
    public void Event_keys_are_required_by_mode(string ev, string? treeError, string statusError)
    {
        var json = Flow(Task.Replace("\"task_id\"", $"\"events\": [{ev}], \"task_id\"", StringComparison.Ordinal));

        if (treeError is null)
        {
            TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Tree);
        }
        else
        {
            AssertInternal(treeError, () => TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Tree));
        }

        AssertInternal(statusError, () => TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Status));
    }

    [Theory]
    [InlineData("\"limits\": [{\"name\": \"l\", \"limit\": 2}]", "KeyError: 'value'")]
    [InlineData("\"limits\": [{\"name\": \"l\", \"limit\": 2, \"value\": 0}]", "KeyError: 'node_paths'")]
    [InlineData("\"meters\": [{\"name\": \"m\", \"min_value\": 0, \"max_value\": 9}]", "KeyError: 'value'")]
    [InlineData("\"times\": [{\"time\": \"06:00\"}]", "KeyError: 'free'")]
    [InlineData("\"repeat\": {\"r\": {\"name\": \"R\", \"start_date\": \"20240101\", \"end_date\": \"20240103\", \"step\": 1, \"class_type\": \"RepeatDate\"}}", "KeyError: 'value'")]
    public void Run_time_keys_are_required_only_in_status_mode(string attribute, string statusError)
    {
        var json = Flow(Task.Replace("\"task_id\"", attribute + ", \"task_id\"", StringComparison.Ordinal));

        TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Tree);
        AssertInternal(statusError, () => TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Status));
    }

    [Theory]
    [InlineData("\"in_limit_manager\": {\"in_limit_list\": [{\"limit_name\": \"l\", \"tokens\": 1}]}", "KeyError: 'node_path'")]
    [InlineData("\"in_limit_manager\": {}", "KeyError: 'in_limit_list'")]
    [InlineData("\"repeat\": {\"r\": {\"name\": \"R\", \"class_type\": \"RepeatDaily\"}}", "KeyError: 'RepeatDaily'")]
    [InlineData("\"repeat\": {\"r\": {\"name\": \"R\", \"start_date\": \"20240101\", \"end_date\": \"20240103\", \"class_type\": \"RepeatDate\"}}", "KeyError: 'step'")]
    [InlineData("\"repeat\": {\"r\": {\"name\": \"R\", \"start_date\": \"2024-01-01\", \"end_date\": \"20240103\", \"step\": 1, \"class_type\": \"RepeatDate\"}}", "ValueError: time data '2024-01-01' does not match format '%Y%m%d'")]
    [InlineData("\"user_parameters\": [{\"name\": \"P\"}]", "KeyError: 'value'")]
    [InlineData("\"meters\": [{\"name\": \"m\", \"min_value\": 0}]", "KeyError: 'max_value'")]
    [InlineData("\"children\": 5", "TypeError: 'int' object is not iterable")]
    public void Definition_keys_are_required_in_both_modes(string attribute, string error)
    {
        var json = Flow(Task.Replace("\"task_id\"", attribute + ", \"task_id\"", StringComparison.Ordinal));

        AssertInternal(error, () => TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Tree));
    }

    [Theory]
    [InlineData("7", "ValueError: 7 is not a valid NodeStatus")]
    [InlineData("0", "ValueError: 0 is not a valid NodeStatus")]
    [InlineData("\"3\"", "ValueError: '3' is not a valid NodeStatus")]
    [InlineData("null", "ValueError: None is not a valid NodeStatus")]
    public void A_status_outside_one_to_six_is_a_value_error(string status, string expected)
    {
        var json = Flow(Task.Replace("\"status\": 3", "\"status\": " + status, StringComparison.Ordinal));

        AssertInternal(expected, () => TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Status));
        var defaultStatus = Flow(Task.Replace("\"task_id\"", $"\"default_node_status\": {status}, \"task_id\"", StringComparison.Ordinal));
        AssertInternal(expected, () => TaklerJsonReader.ReadFlow(defaultStatus, TaklerJsonReadMode.Tree));
    }

    [Fact]
    public void A_meter_value_out_of_range_is_a_value_error()
    {
        var json = Flow(Task.Replace("\"task_id\"", "\"meters\": [{\"name\": \"m\", \"min_value\": 0, \"max_value\": 9, \"value\": 10}], \"task_id\"", StringComparison.Ordinal));

        var e = Assert.Throws<TaklerException>(() => TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Status));

        Assert.Equal(TaklerErrorCode.InternalError, e.Code);
        Assert.StartsWith("ValueError: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_at_the_top_is_not_a_flow()
    {
        var e = Assert.Throws<TaklerException>(() => TaklerJsonReader.ReadFlow(Task, TaklerJsonReadMode.Tree));

        Assert.Equal(TaklerErrorCode.NodeType, e.Code);
    }

    [Fact]
    public void Bunch_without_server_state_is_a_key_error()
    {
        var json = CompatFixtures.Read("tutorial.json");
        var cut = json[..json.IndexOf(", \"server_state\"", StringComparison.Ordinal)] + "}";

        AssertInternal("KeyError: 'server_state'", () => TaklerJsonReader.ReadBunch(cut));
    }

    [Fact]
    public void Bunch_port_as_a_number_is_a_validation_error()
    {
        var json = CompatFixtures.Read("tutorial.json").Replace("\"port\": \"33083\"", "\"port\": 33083", StringComparison.Ordinal);

        var e = Assert.Throws<TaklerException>(() => TaklerJsonReader.ReadBunch(json));

        Assert.Equal(TaklerErrorCode.InternalError, e.Code);
        Assert.StartsWith("ValidationError: 1 validation error for ServerState\nport\n  Input should be a valid string [type=string_type, input_value=33083, input_type=int]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bunch_host_and_port_null_take_the_defaults()
    {
        var json = CompatFixtures.Read("server_session.json")
            .Replace("\"host\": \"127.0.0.1\", \"port\": \"33183\"", "\"host\": null, \"port\": null", StringComparison.Ordinal);

        var bunch = TaklerJsonReader.ReadBunch(json);

        Assert.Equal("localhost", bunch.Host);
        Assert.Equal(33083, bunch.Port);
    }

    [Fact]
    public void A_failed_read_leaves_an_existing_tree_unchanged()
    {
        var bunch = TaklerJsonReader.ReadBunch(CompatFixtures.Read("triggers.json"));
        var before = TaklerJsonWriter.WriteBunch(bunch);
        var broken = TaklerJsonWriter.WriteFlow(bunch.Flows[0]).Replace("\"try_no\": 2", "\"try_n\": 2", StringComparison.Ordinal);

        AssertInternal("KeyError: 'try_no'", () => bunch.AddFlow(TaklerJsonReader.ReadFlow(broken, TaklerJsonReadMode.Tree), replace: true));

        Assert.Equal(before, TaklerJsonWriter.WriteBunch(bunch));
    }

    [Fact]
    public void Unknown_keys_are_ignored_and_duplicate_keys_keep_the_last_value()
    {
        var json = Flow(Task.Replace("\"try_no\": 0", "\"try_no\": 0, \"extra\": [1, 2], \"try_no\": 4", StringComparison.Ordinal));

        var flow = TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Tree);

        Assert.Equal(4, ((Takler.Core.Nodes.Task)flow.Children[0]).TryNo);
    }

    private static string Flow(string child) =>
        $$$"""{"name": "f", "state": {"status": 3, "suspended": false}, "class_type": {"module": "takler.core.flow", "name": "Flow"}, "children": [{{{child}}}]}""";

    private static void AssertInternal(string expected, Action read)
    {
        var e = Assert.Throws<TaklerException>(read);
        Assert.Equal(TaklerErrorCode.InternalError, e.Code);
        Assert.Equal(expected, e.Message);
    }
}
