namespace Takler.Core.Expressions;

/// <summary>Unary minus: `-operand`.</summary>
public sealed record NegateExpression(ExpressionNode Operand, int Start, int Length) : ExpressionNode(Start, Length)
{
    public override string ToString() => $"-{Operand}";
}
