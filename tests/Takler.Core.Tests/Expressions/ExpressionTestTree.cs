using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Expressions;

/// <summary>
/// A small flow in a bunch:
/// /f (YMD date repeat on fam)
///   fam: t1 (event ev, meter m 0..100, label lbl), t2, t3, sub/t4
///   other: t5.
/// </summary>
internal sealed class ExpressionTestTree
{
    public ExpressionTestTree()
    {
        Bunch = new Bunch();
        Flow = new Flow("f");
        Fam = Flow.AddFamily("fam");
        T1 = Fam.AddTask("t1");
        T1.AddEvent("ev").AddMeter("m", 0, 100).AddLabel("lbl", "start");
        T2 = Fam.AddTask("t2");
        T3 = Fam.AddTask("t3");
        Sub = Fam.AddFamily("sub");
        T4 = Sub.AddTask("t4");
        Other = Flow.AddFamily("other");
        T5 = Other.AddTask("t5");
        Fam.AddRepeat(new RepeatDate("YMD", 20240101, 20240110));
        Bunch.AddFlow(Flow);
    }

    public Bunch Bunch { get; }

    public Flow Flow { get; }

    public Family Fam { get; }

    public Family Sub { get; }

    public Family Other { get; }

    public Task T1 { get; }

    public Task T2 { get; }

    public Task T3 { get; }

    public Task T4 { get; }

    public Task T5 { get; }

    public Event Ev => T1.FindEvent("ev")!;

    public Meter M => T1.FindMeter("m")!;

    public Label Lbl => T1.FindLabel("lbl")!;
}
