namespace Takler.Core.Expressions;

/// <summary>The comparison operators; each has a symbol and an ecFlow word (`==`/`eq`, `!=`/`ne`, `&lt;`/`lt`, ...).</summary>
public enum ComparisonOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}
