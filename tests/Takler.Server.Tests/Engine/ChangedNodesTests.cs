using Takler.Core;
using Takler.Core.Nodes;
using Takler.Server.Engine;

namespace Takler.Server.Tests.Engine;

public class ChangedNodesTests
{
    [Fact]
    public void Each_node_is_listed_once_in_the_order_it_first_changed_and_a_limit_owner_only_after_a_status_change()
    {
        var bunch = new Bunch();
        var flow = bunch.AddFlow(new Flow("f"));
        flow.AddLimit("slots", 2);
        var family = flow.AddFamily("g");
        family.AddInLimit("slots");
        var first = family.AddTask("a");
        var second = family.AddTask("b");
        var changed = new ChangedNodes();

        changed.Mark(second);
        changed.Mark(first);
        changed.Mark(second);
        changed.AddLimitOwners(bunch);
        Assert.Equal([second, first], changed.InOrder); // a meter or a label: no limit owner

        for (var i = 0; i < 1000; i++)
        {
            changed.MarkStatusChange(first); // a long run without a write-out stays one entry
        }

        changed.AddLimitOwners(bunch);
        Assert.Equal([second, first, flow], changed.InOrder);

        changed.Clear();
        changed.AddLimitOwners(bunch);
        Assert.Empty(changed.InOrder);
    }
}
