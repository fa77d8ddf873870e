namespace Takler.Core.Expressions;

/// <summary>
/// A node of a parsed expression's syntax tree. <see cref="Start"/> and <see cref="Length"/> locate the text it was
/// read from (parentheses around a sub-expression excluded), so that "why" can quote the user's own words.
/// <see cref="object.ToString"/> gives a canonical, fully bracketed form: `((a == complete) and not (b == 1))`.
/// </summary>
public abstract record ExpressionNode(int Start, int Length)
{
    /// <summary>The part of <paramref name="source"/> this node was read from.</summary>
    public string TextIn(string source) => source.Substring(Start, Length);
}
