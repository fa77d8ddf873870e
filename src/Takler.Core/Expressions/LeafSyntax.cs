namespace Takler.Core.Expressions;

/// <summary>
/// A leaf as written: `path op constant` or `constant op path` (read as the former, operator swapped),
/// `path:name op constant` the same, or `path:name` alone.
/// </summary>
/// <param name="Path">The node's path.</param>
/// <param name="EventName">The name after the colon; null for a node's status.</param>
/// <param name="Op">The comparison; null for `path:name` alone.</param>
/// <param name="Value">The constant compared with (0 when none).</param>
/// <param name="Reference">The path or `path:name` as written.</param>
/// <param name="Whole">The whole leaf as written.</param>
internal readonly record struct LeafSyntax(string Path, string? EventName, ComparisonOperator? Op, long Value, ExpressionNode Reference, ExpressionNode Whole)
{
    /// <summary>The leaf <paramref name="syntax"/> is, if it is one.</summary>
    public static LeafSyntax? Read(ExpressionNode syntax)
    {
        if (syntax is AttributeReference alone)
        {
            return new LeafSyntax(alone.Path, alone.Name, null, 0, alone, alone);
        }

        if (syntax is not ComparisonExpression c)
        {
            return null;
        }

        var (left, right, op) = (c.Left, c.Right, c.Operator);
        if (Constant(left) is not null && Constant(right) is null)
        {
            (left, right, op) = (right, left, op.Swapped());
        }

        return (left, Constant(right)) switch
        {
            (NodeReference r, { } value) => new LeafSyntax(r.Path, null, op, value, r, c),
            (AttributeReference a, { } value) => new LeafSyntax(a.Path, a.Name, op, value, a, c),
            _ => null,
        };
    }

    /// <summary>The value of a constant (an integer, a status, `set` or `clear`); null for anything else.</summary>
    public static long? Constant(ExpressionNode node) => node switch
    {
        IntegerLiteral i => i.Value,
        StatusLiteral s => (long)s.Status,
        EventLiteral e => e.Value ? 1 : 0,
        _ => null,
    };
}
