using Takler.Core;
using Takler.Core.Nodes;
using Takler.Server.Engine;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Tests.Engine;

public class StatusWatchersTests
{
    private static (Bunch Bunch, StatusWatchers Watchers, Operations Operations) Tree()
    {
        var bunch = new Bunch();
        var flow = new Flow("f");
        flow.AddTask(new TaskNode("a"));
        flow.AddTask(new TaskNode("b"));
        bunch.AddFlow(flow);
        var watchers = new StatusWatchers();
        bunch.Observer = watchers;
        var operations = new Operations(bunch, TimeProvider.System);
        operations.Begin("f");
        return (bunch, watchers, operations);
    }

    private static StatusWatch Watch(Bunch bunch, string path)
    {
        var watch = new StatusWatch([path], new HashSet<NodeStatus> { NodeStatus.Complete });
        watch.Bind(bunch);
        return watch;
    }

    [Fact]
    public void Only_the_watches_of_a_changed_node_are_collected_and_a_finished_watch_closes()
    {
        var (bunch, watchers, operations) = Tree();
        var onA = Watch(bunch, "/f/a");
        var onB = Watch(bunch, "/f/b");
        watchers.Add(onA);
        watchers.Add(onB);
        Assert.Equal(2, watchers.Collect(bunch)!.Count); // their first updates: the current statuses
        Assert.Null(watchers.Collect(bunch));

        operations.Force(ForceTarget.To(NodeStatus.Complete), recursive: false, ["/f/a"]);

        var (watch, updates, finished) = Assert.Single(watchers.Collect(bunch)!);
        Assert.Same(onA, watch);
        Assert.True(finished);
        Assert.Equal(("/f/a", NodeStatus.Complete, true), (updates[0].NodePath, updates[0].Status, updates[0].Reached));
        Assert.Equal(1, watchers.Count);
    }

    [Fact]
    public void A_watch_removed_is_told_nothing_more()
    {
        var (bunch, watchers, operations) = Tree();
        var onA = Watch(bunch, "/f/a");
        watchers.Add(onA);
        watchers.Remove(onA);

        operations.Force(ForceTarget.To(NodeStatus.Complete), recursive: false, ["/f/a"]);

        Assert.Null(watchers.Collect(bunch));
        Assert.Equal(0, watchers.Count);
    }
}
