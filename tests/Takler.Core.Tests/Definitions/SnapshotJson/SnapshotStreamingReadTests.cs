using System.Text;
using System.Text.Json.Nodes;
using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Definitions.SnapshotJson;

/// <summary>What the single-pass reader must keep from the document-model one: key order is free, damage is JSON damage.</summary>
public class SnapshotStreamingReadTests
{
    [Fact]
    public void Keys_in_any_order_read_the_same_tree()
    {
        var original = SnapshotWriter.ToBytes(SnapshotTrees.Everything());
        var reversed = Encoding.UTF8.GetBytes(Reverse(JsonNode.Parse(original)!)!.ToJsonString());
        Assert.NotEqual(original, reversed);
        Assert.StartsWith("{\"bunch\":", Encoding.UTF8.GetString(reversed), StringComparison.Ordinal);

        var restored = SnapshotReader.ReadBunch(reversed);

        Assert.Equal(Encoding.UTF8.GetString(original), Encoding.UTF8.GetString(SnapshotWriter.ToBytes(restored)));
        Assert.NotEmpty(((Task)restored.GetNode("/main/fam/run")).HeldLimits);
    }

    [Fact]
    public void A_flow_with_keys_in_any_order_reads_the_same()
    {
        var original = SnapshotWriter.ToBytes(SnapshotTrees.Everything().FindFlow("main")!);
        var reversed = Encoding.UTF8.GetBytes(Reverse(JsonNode.Parse(original)!)!.ToJsonString());

        Assert.Equal(original, SnapshotWriter.ToBytes(SnapshotReader.ReadFlow(reversed)));
    }

    [Fact]
    public void Escaped_keys_and_values_read_as_plain_ones()
    {
        var json = """{"format": "takler-dotnet-snapshot", "version": 1, "bunch": {"host": "h", "port": 1, "home": ".", "flows": [{"\u006bind": "flow", "name": "f", "status": "queued", "children": [{"kind": "task", "n\u0061me": "t", "st\u0061tus": "\u0061ctive", "labels": [{"name": "info", "default": "", "text": "\u00e9t\u00e9"}]}]}]}}""";

        var task = SnapshotReader.ReadBunch(Encoding.UTF8.GetBytes(json)).GetNode("/f/t");

        Assert.Equal(NodeStatus.Active, task.Status);
        Assert.Equal("été", task.Labels[0].Text);
    }

    [Fact]
    public void A_deep_tree_round_trips()
    {
        var bunch = new Bunch();
        NodeContainer container = bunch.AddFlow(new Flow("f"));
        for (var i = 0; i < 450; i++)
        {
            container = container.AddFamily("d" + i);
        }

        container.AddTask("t");
        var bytes = SnapshotWriter.ToBytes(bunch);

        var restored = SnapshotReader.ReadBunch(bytes);

        Assert.Equal(bytes, SnapshotWriter.ToBytes(restored));
        Assert.Equal(451, restored.AllNodes().OfType<Task>().Single().Depth);
    }

    [Fact]
    public void A_stream_may_start_with_a_byte_order_mark()
    {
        var bytes = SnapshotWriter.ToBytes(SnapshotTrees.Everything());
        using var stream = new MemoryStream([0xEF, 0xBB, 0xBF, .. bytes]);

        Assert.Equal(bytes, SnapshotWriter.ToBytes(SnapshotReader.ReadBunch(stream)));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.99)]
    [InlineData(0.01)]
    public void A_truncated_snapshot_is_not_valid_json(double fraction)
    {
        var bytes = SnapshotWriter.ToBytes(SnapshotTrees.Everything());

        var e = Assert.Throws<TaklerException>(() => SnapshotReader.ReadBunch(bytes.AsMemory(0, (int)(bytes.Length * fraction))));

        Assert.Equal(TaklerErrorCode.InvalidRequest, e.Code);
        Assert.StartsWith("snapshot is not valid json: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"format": "other", "version": 1, "bunch": {""")]
    [InlineData("""{"format": "takler-dotnet-snapshot", "version": 1, "bunch": {"flows": [{"kind": "rocket", "name": "x", "status": "queued"}, {""")]
    [InlineData("""{"format": "takler-dotnet-snapshot", "version": 1, "bunch": {}} trailing""")]
    [InlineData("")]
    public void Damage_after_a_mistake_is_still_reported_as_json(string json)
    {
        var e = Assert.Throws<TaklerException>(() => SnapshotReader.ReadBunch(Encoding.UTF8.GetBytes(json)));

        Assert.StartsWith("snapshot is not valid json: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_snapshot_leaves_the_bunch_as_it_was()
    {
        var bytes = SnapshotWriter.ToBytes(SnapshotTrees.Everything());
        var target = new Bunch("elsewhere", 1, "/home");
        var mine = target.AddFlow(new Flow("main"));

        Assert.Throws<TaklerException>(() => SnapshotReader.ReadInto(target, bytes.AsMemory(0, bytes.Length - 3)));

        Assert.Same(mine, Assert.Single(target.Flows));
        Assert.Empty(target.ServerParameters);
    }

    [Fact]
    public void An_error_deep_in_the_tree_names_the_whole_path()
    {
        var json = """{"format": "takler-dotnet-snapshot", "version": 1, "bunch": {"host": "h", "port": 1, "home": ".", "flows": [{"kind": "flow", "name": "f", "status": "queued", "children": [{"kind": "family", "name": "fam", "status": "queued", "children": [{"kind": "task", "name": "t", "status": "queued", "meters": [{"name": "m", "min": 0, "max": 5}]}, 7]}]}]}}""";

        var e = Assert.Throws<TaklerException>(() => SnapshotReader.ReadBunch(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("snapshot /f/fam/t: 'value' is missing", e.Message);
    }

    [Fact]
    public void Kind_and_name_may_come_last()
    {
        var json = """{"bunch": {"flows": [{"status": "queued", "children": [{"status": "complete", "events": [{"name": "done", "value": true}], "name": "t", "kind": "task"}], "name": "f", "kind": "flow"}], "home": ".", "port": 1, "host": "h"}, "version": 1, "format": "takler-dotnet-snapshot"}""";

        var task = SnapshotReader.ReadBunch(Encoding.UTF8.GetBytes(json)).GetNode("/f/t");

        Assert.Equal(NodeStatus.Complete, task.Status);
        Assert.True(task.Events[0].Value);
    }

    [Fact]
    public void Restored_nodes_share_strings_but_never_attributes()
    {
        var bunch = new Bunch();
        var flow = bunch.AddFlow(new Flow("f"));
        foreach (var name in new[] { "a", "b" })
        {
            var family = flow.AddFamily(name);
            var task = family.AddTask("t0");
            task.AddLabel("info", "none");
            task.AddMeter("progress", 0, 100);
            task.AddEvent("done");
            task.AddParameter("STEP", "0");
        }

        var restored = SnapshotReader.ReadBunch(SnapshotWriter.ToBytes(bunch));
        var a = restored.GetNode("/f/a/t0");
        var b = restored.GetNode("/f/b/t0");

        Assert.Same(a.Name, b.Name);
        Assert.Same(a.Labels[0].Name, b.Labels[0].Name);
        Assert.Same(a.Labels[0].Text, b.Labels[0].Text);
        Assert.NotSame(a.Labels[0], b.Labels[0]);
        Assert.NotSame(a.Meters[0], b.Meters[0]);
        Assert.NotSame(a.Events[0], b.Events[0]);
        a.Labels[0].Text = "half way";
        a.Meters[0].SetValue(50);
        a.Events[0].Value = true;
        Assert.Equal(("none", 0, false), (b.Labels[0].Text, b.Meters[0].Value, b.Events[0].Value));
    }

    /// <summary>The same document with the keys of every object in reverse order (a limit's holders excepted: their order is the limit's).</summary>
    internal static JsonNode? Reverse(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Reverse().Select(p => KeyValuePair.Create(
            p.Key,
            p.Key == "holders" ? p.Value?.DeepClone() : Reverse(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Reverse)]),
        _ => node?.DeepClone(),
    };
}
