namespace Takler.Core.Expressions;

/// <summary>Spelling of <see cref="BinaryOperator"/> and <see cref="ComparisonOperator"/>.</summary>
public static class ExpressionOperators
{
    /// <summary>The canonical spelling: `and`, `or`, `+`, `-`, `*`, `/`, `%`.</summary>
    public static string Symbol(this BinaryOperator op) => op switch
    {
        BinaryOperator.And => "and",
        BinaryOperator.Or => "or",
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Modulo => "%",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>The canonical spelling: `==`, `!=`, `&lt;`, `&lt;=`, `&gt;`, `&gt;=`.</summary>
    public static string Symbol(this ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "==",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Whether <paramref name="op"/> holds for a comparison result (negative, zero or positive).</summary>
    public static bool Holds(this ComparisonOperator op, int comparison) => op switch
    {
        ComparisonOperator.Equal => comparison == 0,
        ComparisonOperator.NotEqual => comparison != 0,
        ComparisonOperator.Less => comparison < 0,
        ComparisonOperator.LessOrEqual => comparison <= 0,
        ComparisonOperator.Greater => comparison > 0,
        ComparisonOperator.GreaterOrEqual => comparison >= 0,
        _ => false,
    };

    /// <summary>The operator with its sides swapped: `a &lt; b` is `b &gt; a`.</summary>
    public static ComparisonOperator Swapped(this ComparisonOperator op) => op switch
    {
        ComparisonOperator.Less => ComparisonOperator.Greater,
        ComparisonOperator.LessOrEqual => ComparisonOperator.GreaterOrEqual,
        ComparisonOperator.Greater => ComparisonOperator.Less,
        ComparisonOperator.GreaterOrEqual => ComparisonOperator.LessOrEqual,
        _ => op,
    };
}
