using Takler.Core.Attributes;
using Takler.Core.Definitions.TaklerJson;
using Takler.Core.Nodes;

namespace Takler.Core.Tests.Definitions.TaklerJson;

public class TaklerJsonWriterTests
{
    [Fact]
    public void Parameters_keep_their_json_type_and_python_text()
    {
        const string Parameters = """[{"name":"S","value":"\u00e9\ud83d\ude00"},{"name":"I","value":12345678901234567890},{"name":"Z","value":-0},{"name":"F","value":1e16},{"name":"F2","value":1E5},{"name":"F3","value":-0.0},{"name":"N","value":null},{"name":"B","value":false}]""";
        var json = $$$"""{"name": "f", "class_type": {"module": "takler.core.flow", "name": "Flow"}, "user_parameters": {{{Parameters}}}}""";

        var flow = TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Tree);

        Assert.Equal(["é😀", "12345678901234567890", "0", "1e+16", "100000.0", "-0.0", "None", "False"], flow.Parameters.Select(p => p.Value));
        var written = TaklerJsonWriter.WriteFlow(flow, indent: null);
        Assert.Contains(
            """, "user_parameters": [{"name": "S", "value": "\u00e9\ud83d\ude00"}, {"name": "I", "value": 12345678901234567890}, {"name": "Z", "value": 0}, {"name": "F", "value": 1e+16}, {"name": "F2", "value": 100000.0}, {"name": "F3", "value": -0.0}, {"name": "N", "value": null}, {"name": "B", "value": false}]""",
            written,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_built_in_code_is_written_in_takler_key_order()
    {
        var flow = new Flow("f");
        flow.AddLimit("l", 2);
        var family = flow.AddFamily("fam");
        family.DefaultStatus = DefaultStatus.Complete;
        var task = family.AddTask(new ShellScriptTask("t", "/s/t.takler"));
        task.AddParameter("P", 1).AddTrigger("../x == complete").AddComplete("../y == complete").AddEvent("e").AddMeter("m", 0, 5)
            .AddInLimit("l").AddRepeat(new RepeatDate("YMD", 20240101, 20240105, 2));
        task.AddTime("10:30");
        task.AddLabel("ignored", "not in Takler's JSON");

        var written = TaklerJsonWriter.WriteFlow(flow, indent: null);

        Assert.Equal(
            """{"name": "f", "state": {"status": 1, "suspended": false}, "class_type": {"module": "takler.core.flow", "name": "Flow"}, "children": [{"name": "fam", "state": {"status": 1, "suspended": false}, "class_type": {"module": "takler.core.node_container", "name": "NodeContainer"}, "default_node_status": 2, "children": [{"name": "t", "state": {"status": 1, "suspended": false}, "class_type": {"module": "takler.tasks.shell.shell_script_task", "name": "ShellScriptTask"}, "user_parameters": [{"name": "P", "value": 1}], "trigger": "../x == complete", "complete_trigger": "../y == complete", "events": [{"name": "e", "initial_value": false, "value": false}], "meters": [{"name": "m", "min_value": 0, "max_value": 5, "value": 0}], "in_limit_manager": {"in_limit_list": [{"limit_name": "l", "tokens": 1, "node_path": null}]}, "repeat": {"r": {"name": "YMD", "start_date": "20240101", "end_date": "20240105", "step": 2, "value": 20240101, "class_type": "RepeatDate"}}, "times": [{"time": "10:30", "free": false}], "task_id": null, "aborted_reason": null, "try_no": 0, "script_path": "/s/t.takler"}]}], "limits": [{"name": "l", "limit": 2, "node_paths": [], "value": 0}], "begun": false, "calendar": {"initial_time": null, "flow_time": null, "duration": null, "increment": null, "initial_real_time": null, "last_real_time": null}}""",
            written);
        var again = TaklerJsonReader.ReadFlow(written, TaklerJsonReadMode.Status);
        Assert.Equal(written, TaklerJsonWriter.WriteFlow(again, indent: null));
    }

    [Fact]
    public void Server_parameters_beyond_the_three_standard_ones_round_trip()
    {
        var bunch = new Bunch("h", 4000, "/home/takler");
        bunch.AddServerParameter("EXTRA", "x");

        var written = TaklerJsonWriter.WriteBunch(bunch);

        Assert.Equal(
            """{"name": "", "state": {"status": 1, "suspended": false}, "class_type": {"module": "takler.core.bunch", "name": "Bunch"}, "flows": [], "server_state": {"parameters": [{"name": "TAKLER_HOST", "value": "h"}, {"name": "TAKLER_PORT", "value": "4000"}, {"name": "TAKLER_HOME", "value": "/home/takler"}, {"name": "EXTRA", "value": "x"}], "host": "h", "port": "4000"}}""",
            written);
        var read = TaklerJsonReader.ReadBunch(written);
        Assert.Equal("/home/takler", read.Home);
        Assert.Equal(written, TaklerJsonWriter.WriteBunch(read));
    }
}
