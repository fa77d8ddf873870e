using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>`and` / `or`, short-circuit.</summary>
internal sealed class LogicalTerm : BoundTerm
{
    private readonly bool _isAnd;
    private readonly BoundTerm _left;
    private readonly BoundTerm _right;

    public LogicalTerm(bool isAnd, BoundTerm left, BoundTerm right, string source, int start, int length)
        : base(source, start, length)
    {
        _isAnd = isAnd;
        _left = left;
        _right = right;
    }

    public override bool IsTrue() => _isAnd ? _left.IsTrue() && _right.IsTrue() : _left.IsTrue() || _right.IsTrue();

    public override long Number() => IsTrue() ? 1 : 0;

    public override void AddFacts(List<string> facts)
    {
        _left.AddFacts(facts);
        _right.AddFacts(facts);
    }

    public override void AddDependencies(List<Node> nodes)
    {
        _left.AddDependencies(nodes);
        _right.AddDependencies(nodes);
    }

    /// <summary>A false `and` is explained by its false operands; a false `or` by both (both are false).</summary>
    public override void ExplainFalse(List<string> reasons)
    {
        if (!_isAnd || !_left.IsTrue())
        {
            _left.ExplainFalse(reasons);
        }

        if (!_isAnd || !_right.IsTrue())
        {
            _right.ExplainFalse(reasons);
        }
    }
}
