using Takler.Core.Nodes;

namespace Takler.Core.Expressions;

/// <summary>
/// One token: its kind, where it is (offset and length in the text; line and column counted from 1) and, for
/// integers and statuses, its value.
/// </summary>
public readonly record struct ExpressionToken(
    ExpressionTokenKind Kind,
    int Start,
    int Length,
    int Line,
    int Column,
    long Number = 0,
    NodeStatus Status = NodeStatus.Unknown)
{
    /// <summary>The offset just after the token.</summary>
    public int End => Start + Length;

    /// <summary>The token's text in <paramref name="source"/>.</summary>
    public string TextIn(string source) => source.Substring(Start, Length);

    /// <summary>Whether a value ends with this token, so that a following `/` divides rather than starts a path.</summary>
    internal bool EndsOperand => Kind is ExpressionTokenKind.Path or ExpressionTokenKind.Name or ExpressionTokenKind.Integer
        or ExpressionTokenKind.Status or ExpressionTokenKind.EventValue or ExpressionTokenKind.RightParen;
}
