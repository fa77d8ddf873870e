namespace Takler.Core.Expressions;

/// <summary>`not operand` (also `!` and `~`). As in ecFlow it binds looser than a comparison: `!a == complete` is `!(a == complete)`.</summary>
public sealed record NotExpression(ExpressionNode Operand, int Start, int Length) : ExpressionNode(Start, Length)
{
    public override string ToString() => $"not {Operand}";
}
