using Takler.Core.Nodes;
using Takler.Core.Visitors;

namespace Takler.Core.Tests.Visitors;

public class PrintVisitorTests
{
    [Fact]
    public void Prints_the_seed_tutorial_flow()
    {
        var flow = new Flow("test");
        flow.AddParameter("TAKLER_HOME", "/home/takler");
        var t1 = flow.AddTask(new ShellScriptTask("t1"));
        t1.AddParameter("TAKLER_SCRIPT", "/home/takler/test/task1.takler");

        Assert.Equal("|- test [unknown]\n  |- t1 [unknown]\n", PrintVisitor.ToText(flow));
    }

    [Fact]
    public void Prints_attributes_under_their_node_and_suspended_nodes_with_their_status()
    {
        var bunch = new Bunch();
        var flow = bunch.AddFlow(new Flow("f"));
        flow.AddLimit("lim", 3);
        var fam = flow.AddFamily("fam");
        var t = fam.AddTask("t");
        t.AddEvent("done").AddMeter("step", 0, 10).AddTrigger("../other == complete");
        new Operations(bunch, new TestClock()).Begin("f");
        new Operations(bunch, new TestClock()).Suspend(["/f/fam"]);

        var expected =
            "|- f [queued]\n" +
            "    limit lim [0/3]\n" +
            "  |- fam [suspend (queued)]\n" +
            "    |- t [queued]\n" +
            "        event done [unset]\n" +
            "        meter step 0 10 [0]\n";
        Assert.Equal(expected, PrintVisitor.ToText(bunch));
        Assert.Contains("        trigger ../other == complete\n", PrintVisitor.ToText(bunch, PrintOptions.All), StringComparison.Ordinal);
    }
}
