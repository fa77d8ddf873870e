using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>A number compared with a constant (`t:m > 5`, `t:ev == set`): one term fewer than the general comparison.</summary>
internal sealed class ConstantComparisonTerm : BoundTerm
{
    private readonly ComparisonOperator _op;
    private readonly BoundTerm _left;
    private readonly long _value;

    public ConstantComparisonTerm(ComparisonOperator op, BoundTerm left, long value, string source, int start, int length)
        : base(source, start, length)
    {
        _op = op;
        _left = left;
        _value = value;
    }

    public override bool IsTrue() => _op.Holds(_left.Number().CompareTo(_value));

    public override long Number() => IsTrue() ? 1 : 0;

    public override void AddFacts(List<string> facts) => _left.AddFacts(facts);

    public override void AddDependencies(List<Node> nodes) => _left.AddDependencies(nodes);
}
