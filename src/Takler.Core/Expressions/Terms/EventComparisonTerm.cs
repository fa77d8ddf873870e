using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>
/// `path:event == set` and the like, fused into one term (an <see cref="EventTerm"/> inside a
/// <see cref="ConstantComparisonTerm"/>, told and explained the same): one object per comparison instead of two.
/// </summary>
internal sealed class EventComparisonTerm : BoundTerm
{
    private readonly Node _owner;
    private readonly Event _event;
    private readonly ComparisonOperator _op;
    private readonly long _value;

    public EventComparisonTerm(Node owner, Event value, ComparisonOperator op, long compared, string source, int start, int length)
        : base(source, start, length)
    {
        _owner = owner;
        _event = value;
        _op = op;
        _value = compared;
    }

    public override bool IsTrue() => Holds(_event, _op, _value);

    /// <summary>Whether <paramref name="value"/>'s flag (set 1, clear 0) compares to <paramref name="compared"/> as <paramref name="op"/> asks.</summary>
    public static bool Holds(Event value, ComparisonOperator op, long compared) => op.Holds((value.Value ? 1L : 0L).CompareTo(compared));

    public override long Number() => IsTrue() ? 1 : 0;

    public override void AddFacts(List<string> facts) => AddFact(facts, $"{_event.Key} is {(_event.Value ? "set" : "clear")}");

    public override void AddDependencies(List<Node> nodes) => AddDependency(nodes, _owner);
}
