using System.Globalization;

namespace Takler.Core.Expressions;

/// <summary>An integer.</summary>
public sealed record IntegerLiteral(long Value, int Start, int Length) : ExpressionNode(Start, Length)
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
