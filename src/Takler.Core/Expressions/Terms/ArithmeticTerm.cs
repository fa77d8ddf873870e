using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>
/// `+ - * / %` on 64-bit integers, wrapping on overflow. Division or remainder by zero gives 0 (ecFlow's choice
/// too), so an expression never fails at run time. Text that is not a number counts as 0.
/// </summary>
internal sealed class ArithmeticTerm : BoundTerm
{
    private readonly BinaryOperator _op;
    private readonly BoundTerm _left;
    private readonly BoundTerm _right;

    public ArithmeticTerm(BinaryOperator op, BoundTerm left, BoundTerm right, string source, int start, int length)
        : base(source, start, length)
    {
        _op = op;
        _left = left;
        _right = right;
    }

    public override bool IsTrue() => Number() != 0;

    public override long Number()
    {
        var a = _left.Number();
        var b = _right.Number();
        return _op switch
        {
            BinaryOperator.Add => unchecked(a + b),
            BinaryOperator.Subtract => unchecked(a - b),
            BinaryOperator.Multiply => unchecked(a * b),
            BinaryOperator.Divide => b == 0 ? 0 : b == -1 ? unchecked(-a) : a / b,
            BinaryOperator.Modulo => b is 0 or -1 ? 0 : a % b,
            _ => 0,
        };
    }

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
}
