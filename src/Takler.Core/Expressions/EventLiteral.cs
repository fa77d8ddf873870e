namespace Takler.Core.Expressions;

/// <summary>`set` (1), `clear` or `unset` (0).</summary>
public sealed record EventLiteral(bool Value, int Start, int Length) : ExpressionNode(Start, Length)
{
    public override string ToString() => Value ? "set" : "clear";
}
