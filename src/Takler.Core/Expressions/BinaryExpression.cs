namespace Takler.Core.Expressions;

/// <summary>`left and right`, `left or right`, or arithmetic `left + right` (and `-`, `*`, `/`, `%`).</summary>
public sealed record BinaryExpression(BinaryOperator Operator, ExpressionNode Left, ExpressionNode Right, int Start, int Length)
    : ExpressionNode(Start, Length)
{
    public override string ToString() => $"({Left} {Operator.Symbol()} {Right})";
}
