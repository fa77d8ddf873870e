using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>`path == complete` and the like, fused into one term: the common trigger, read with one comparison.</summary>
internal sealed class StatusComparisonTerm : BoundTerm
{
    private readonly Node _node;
    private readonly string _path;
    private readonly ComparisonOperator _op;
    private readonly long _value;

    public StatusComparisonTerm(Node node, string path, ComparisonOperator op, long value, string source, int start, int length)
        : base(source, start, length)
    {
        _node = node;
        _path = path;
        _op = op;
        _value = value;
    }

    public override bool IsTrue() => _op.Holds(((long)_node.Status).CompareTo(_value));

    public override long Number() => IsTrue() ? 1 : 0;

    public override void AddFacts(List<string> facts) => AddFact(facts, $"{_path} is {_node.Status.Name()}");

    public override void AddDependencies(List<Node> nodes) => AddDependency(nodes, _node);
}
