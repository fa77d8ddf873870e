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
        : this(node, op, value, path.Start, path.Length, source, start, length)
    {
    }

    public StatusComparisonTerm(Node node, ComparisonOperator op, long value, int pathStart, int pathLength, string source, int start, int length)
        : base(source, start, length)
    {
        _node = node;
        _op = op;
        _pathStart = pathStart;
        _pathLength = pathLength;
        _value = value;
    }

    /// <summary>The node compared.</summary>
    public Node Node => _node;

    public override bool IsTrue() => Holds(_node, _op, _value);

    /// <summary>The comparison itself, shared with the inline form of <see cref="BoundExpression"/>.</summary>
    public static bool Holds(Node node, ComparisonOperator op, long value) => op.Holds(((long)node.Status).CompareTo(value));

    public override long Number() => IsTrue() ? 1 : 0;

    public override void AddFacts(List<string> facts) => AddFact(facts, $"{Source.AsSpan(_pathStart, _pathLength)} is {_node.Status.Name()}");

    public override void AddDependencies(List<Node> nodes) => AddDependency(nodes, _node);
}
