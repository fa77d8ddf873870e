namespace Takler.Core.Expressions;

/// <summary>`left == right` and the other comparisons.</summary>
public sealed record ComparisonExpression(ComparisonOperator Operator, ExpressionNode Left, ExpressionNode Right, int Start, int Length)
    : ExpressionNode(Start, Length)
{
    public override string ToString() => $"({Left} {Operator.Symbol()} {Right})";
}
