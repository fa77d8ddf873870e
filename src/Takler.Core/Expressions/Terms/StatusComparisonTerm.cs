using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>`path == complete` and the like, fused into one term: the common trigger, read with one comparison.</summary>
internal sealed class StatusComparisonTerm : BoundTerm
{
    private readonly Node _node;
    private readonly ComparisonOperator _op;
    private readonly int _pathStart;
    private readonly int _pathLength;
    private readonly long _value;

    /// <summary>The path is kept as its place in <paramref name="source"/>: one string fewer to keep per trigger.</summary>
    public StatusComparisonTerm(Node node, NodeReference path, ComparisonOperator op, long value, string source, int start, int length)
        : base(source, start, length)
    {
        _node = node;
        _op = op;
        _pathStart = path.Start;
        _pathLength = path.Length;
        _value = value;
    }

    public override bool IsTrue() => _op.Holds(((long)_node.Status).CompareTo(_value));

    public override long Number() => IsTrue() ? 1 : 0;

    public override void AddFacts(List<string> facts) => AddFact(facts, $"{Source.AsSpan(_pathStart, _pathLength)} is {_node.Status.Name()}");

    public override void AddDependencies(List<Node> nodes) => AddDependency(nodes, _node);
}
