using System.Text.Json;
using System.Text.Json.Nodes;
using Takler.Core.Definitions.TaklerJson;
using Takler.Core.Nodes;
using Takler.Core.Visitors;

namespace Takler.Core.Tests.Definitions.TaklerJson;

public class TaklerJsonFixtureTests
{
    [Theory]
    [MemberData(nameof(CompatFixtures.NameData), MemberType = typeof(CompatFixtures))]
    public void Show_payload_read_in_status_mode_is_written_back_byte_for_byte(string name)
    {
        var payload = CompatFixtures.Read(name + ".json");

        var bunch = TaklerJsonReader.ReadBunch(payload, TaklerJsonReadMode.Status);

        Assert.Equal(payload, TaklerJsonWriter.WriteBunch(bunch));
    }

    [Theory]
    [MemberData(nameof(CompatFixtures.LoadFileData), MemberType = typeof(CompatFixtures))]
    public void Load_file_read_in_tree_mode_is_written_back_equal(string file)
    {
        var text = CompatFixtures.Read(file);

        var flow = TaklerJsonReader.ReadFlow(text, TaklerJsonReadMode.Tree);
        var written = TaklerJsonWriter.WriteFlow(flow);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(text), JsonNode.Parse(written)), written);
        // Python's json.dumps(indent=2) spacing and key order too (the file ends with a new line).
        Assert.Equal(text.TrimEnd('\n'), written);
    }

    [Theory]
    [MemberData(nameof(CompatFixtures.NameData), MemberType = typeof(CompatFixtures))]
    public void Print_visitor_over_the_load_files_gives_the_tree_text(string name)
    {
        var text = string.Concat(CompatFixtures.LoadFiles(name)
            .Select(f => PrintVisitor.ToText(TaklerJsonReader.ReadFlow(CompatFixtures.Read(f), TaklerJsonReadMode.Tree))));

        Assert.Equal(CompatFixtures.Read(name + ".tree.txt"), text);
    }

    [Theory]
    [MemberData(nameof(CompatFixtures.NameData), MemberType = typeof(CompatFixtures))]
    public void Print_visitor_over_the_show_payload_gives_the_show_text(string name)
    {
        var bunch = TaklerJsonReader.ReadBunch(CompatFixtures.Read(name + ".json"));

        Assert.Equal(CompatFixtures.Read(name + ".show.txt"), PrintVisitor.ToText(bunch));
    }

    [Theory]
    [MemberData(nameof(CompatFixtures.NameData), MemberType = typeof(CompatFixtures))]
    public void Print_visitor_with_all_options_gives_the_show_all_text(string name)
    {
        var bunch = TaklerJsonReader.ReadBunch(CompatFixtures.Read(name + ".json"));

        Assert.Equal(CompatFixtures.Read(name + ".show-all.txt"), PrintVisitor.ToText(bunch, PrintOptions.All));
    }

    [Fact]
    public void Checkpoint_bunch_reads_as_the_show_payload()
    {
        using var checkpoint = JsonDocument.Parse(CompatFixtures.Read("server_session.checkpoint.json"));

        var bunch = TaklerJsonReader.ReadBunch(checkpoint.RootElement.GetProperty("bunch"));

        Assert.Equal(CompatFixtures.Read("server_session.json"), TaklerJsonWriter.WriteBunch(bunch));
    }

    [Fact]
    public void Tree_mode_reads_the_definition_and_drops_run_time_state()
    {
        var flow = TaklerJsonReader.ReadBunch(CompatFixtures.Read("triggers.json"), TaklerJsonReadMode.Tree).Flows[0];

        Assert.All(flow.SelfAndDescendants(), n => Assert.Equal(NodeStatus.Unknown, n.Status));
        Assert.All(flow.SelfAndDescendants(), n => Assert.False(n.Suspended));
        Assert.False(flow.Begun);
        Assert.Null(flow.Calendar.FlowTime);
        var task1 = (Takler.Core.Nodes.Task)flow.Resolve("/flow1/task1")!;
        Assert.False(task1.FindEvent("event_a")!.Value);
        Assert.True(task1.FindEvent("event_b")!.Value);
        Assert.Equal(0, task1.FindMeter("meter_a")!.Value);
        Assert.False(flow.Resolve("/flow1/task7")!.Complete!.Free);
        // task_id, aborted_reason and try_no are copied in both modes.
        Assert.Equal("1001", task1.TaskId);
        Assert.Equal(1, task1.TryNo);
        Assert.Equal("exit code 2", ((Takler.Core.Nodes.Task)flow.Resolve("/flow1/container1/task4")!).AbortedReason);
    }

    [Fact]
    public void Status_mode_restores_limit_holders_with_their_tokens()
    {
        var bunch = TaklerJsonReader.ReadBunch(CompatFixtures.Read("limits.json"));
        var flow = bunch.Flows[0];

        var total = flow.FindLimit("total")!;
        Assert.Equal(3, total.Value);
        Assert.Equal(1, total.Holders["/limit_flow/fam/t1"]);
        Assert.Equal(2, total.Holders["/limit_flow/other/t3"]);
        var t3 = (Takler.Core.Nodes.Task)bunch.GetNode("/limit_flow/other/t3");
        Assert.Contains(total, t3.HeldLimits);
        var t1 = (Takler.Core.Nodes.Task)bunch.GetNode("/limit_flow/fam/t1");
        Assert.Equal(2, t1.HeldLimits.Count());
    }

    [Fact]
    public void Status_mode_restores_calendar_repeat_and_time_latches()
    {
        var flow = TaklerJsonReader.ReadBunch(CompatFixtures.Read("repeat_time.json")).Flows[0];

        Assert.True(flow.Begun);
        Assert.Equal(new DateTime(2024, 1, 1, 6, 1, 30), flow.Calendar.FlowTime);
        Assert.Equal(TimeSpan.FromSeconds(210), flow.Calendar.Duration);
        Assert.Equal(20240102, flow.Resolve("/cycle/daily")!.Repeat!.NumericValue);
        Assert.True(flow.Resolve("/cycle/watch")!.Times[0].Free);
        Assert.False(flow.Resolve("/cycle/daily/fetch")!.Times[0].Free);
    }
}
