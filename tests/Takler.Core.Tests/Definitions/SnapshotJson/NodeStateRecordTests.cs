using System.Text;
using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Definitions.SnapshotJson;

public class NodeStateRecordTests
{
    [Fact]
    public void Records_of_every_node_bring_a_copy_with_other_state_to_the_same_snapshot()
    {
        var original = SnapshotTrees.Everything();
        var copy = SnapshotReader.ReadBunch(SnapshotWriter.ToBytes(original));
        var ops = new Operations(copy, new TestClock(SnapshotTrees.Now.AddDays(3)));
        ops.Begin(null, force: true);
        ops.Suspend(["/main/fam"]);
        ops.Submit((Task)copy.GetNode("/main/fam/post"), "other");
        Assert.NotEqual(SnapshotWriter.ToBytes(original), SnapshotWriter.ToBytes(copy));

        foreach (var node in original.AllNodes())
        {
            NodeStateRecord.Apply(copy, NodeStateRecord.ToBytes(node));
        }

        NodeStateRecord.RelinkHeldLimits(copy);

        Assert.Equal(Encoding.UTF8.GetString(SnapshotWriter.ToBytes(original, indented: true)), Encoding.UTF8.GetString(SnapshotWriter.ToBytes(copy, indented: true)));
        Assert.NotEmpty(((Task)copy.GetNode("/main/fam/run")).HeldLimits);
    }

    [Fact]
    public void A_record_holds_only_state_in_the_snapshot_terms()
    {
        var bunch = SnapshotTrees.Everything();

        var text = Encoding.UTF8.GetString(NodeStateRecord.ToBytes(bunch.GetNode("/main/fam/run")));

        Assert.StartsWith("{\"path\":\"/main/fam/run\",\"status\":\"submitted\",", text, StringComparison.Ordinal);
        Assert.Contains("\"events\":[", text, StringComparison.Ordinal);
        Assert.Contains("\"labels\":[", text, StringComparison.Ordinal);
        Assert.Contains("\"meters\":[96]", text, StringComparison.Ordinal);
        Assert.Contains("\"tryNo\":2,\"password\":\"pass-4\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"children\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"script\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Applying_a_record_tells_no_observer_and_takes_no_tokens()
    {
        var original = SnapshotTrees.Everything();
        var copy = SnapshotReader.ReadBunch(SnapshotWriter.ToBytes(original));
        var total = copy.FindFlow("main")!.FindLimit("total")!;
        var before = total.Value;
        var observer = new CountingObserver();
        copy.Observer = observer;

        NodeStateRecord.Apply(copy, NodeStateRecord.ToBytes(original.GetNode("/main/fam/run")));

        Assert.Equal(0, observer.Calls);
        Assert.Equal(before, total.Value);
    }

    [Theory]
    [InlineData("{\"path\":\"/main/nope\",\"status\":\"queued\"}", "does not exist")]
    [InlineData("{\"path\":\"/main/fam/run\",\"status\":\"queued\",\"events\":[true]}", "the record has 1 events and the node 4")]
    [InlineData("{\"path\":\"/main/fam/run\",\"status\":\"sleeping\"}", "unknown status 'sleeping'")]
    [InlineData("{\"path\":\"/idle/waiting\",\"status\":\"queued\",\"triggerFree\":true}", "no such expression")]
    [InlineData("[1]", "must be an object")]
    public void A_record_that_does_not_fit_its_node_is_an_error_that_says_why(string record, string message)
    {
        var bunch = SnapshotTrees.Everything();

        var e = Assert.Throws<TaklerException>(() => NodeStateRecord.Apply(bunch, Encoding.UTF8.GetBytes(record)));

        Assert.Equal(TaklerErrorCode.InvalidRequest, e.Code);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_a_snapshot_into_a_bunch_replaces_its_flows_and_keeps_limit_holders()
    {
        var original = SnapshotTrees.Everything();
        var target = new Bunch("elsewhere", 1, "/home");
        target.AddFlow(new Flow("main"));
        target.AddFlow(new Flow("mine"));
        target.AddServerParameter("SITE", "local");

        var flows = SnapshotReader.ReadInto(target, SnapshotWriter.ToBytes(original));

        Assert.Equal(["main", "idle"], flows.Select(f => f.Name));
        Assert.Equal(["main", "mine", "idle"], target.Flows.Select(f => f.Name));
        Assert.Equal("elsewhere", target.Host);
        Assert.Equal("local", target.FindServerParameterValue("SITE"));
        Assert.Equal("8", target.FindServerParameterValue("WORKERS"));
        Assert.Equal(SnapshotWriter.ToBytes(original.FindFlow("main")!), SnapshotWriter.ToBytes(target.FindFlow("main")!));
        Assert.NotEmpty(((Task)target.GetNode("/main/fam/run")).HeldLimits);
    }

    private sealed class CountingObserver : INodeObserver
    {
        public int Calls { get; private set; }

        public void StatusChanged(Node node, NodeStatus old) => Calls++;

        public void AttributeChanged(Node node) => Calls++;

        public void TreeChanged(NodeContainer? container) => Calls++;
    }
}
