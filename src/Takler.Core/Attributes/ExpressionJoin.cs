namespace Takler.Core.Attributes;

/// <summary>How a continuation line joins a trigger or complete expression (ecFlow's `trigger -a` / `trigger -o`).</summary>
public enum ExpressionJoin
{
    /// <summary>The first part.</summary>
    None,
    And,
    Or,
}
