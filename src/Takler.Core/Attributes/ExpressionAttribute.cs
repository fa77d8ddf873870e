using Takler.Core.Expressions;

namespace Takler.Core.Attributes;

/// <summary>
/// A trigger or complete expression on a node: one or more parts (ecFlow's `-a`/`-o` continuation lines),
/// plus its run-time latch (<see cref="Free"/>: free-dep for a trigger, "completed by its expression" for a complete).
/// </summary>
public sealed class ExpressionAttribute
{
    // Almost every expression has one part: kept as a one-element array (no List object around it), grown on Add.
    private ExpressionPart[] _parts = [];

    public ExpressionAttribute(string text)
    {
        Add(ExpressionJoin.None, text);
    }

    /// <summary>The parts in order; the first has <see cref="ExpressionJoin.None"/>.</summary>
    public IReadOnlyList<ExpressionPart> Parts => _parts;

    /// <summary>The whole expression as one text: the single part verbatim, or the parts joined in brackets.</summary>
    public string Text =>
        _parts.Length == 1
            ? _parts[0].Text
            : string.Concat(_parts.Select((p, i) => i == 0 ? $"({p.Text})" : $" {(p.Join == ExpressionJoin.Or ? "or" : "and")} ({p.Text})"));

    /// <summary>The latch: a freed trigger, or a node completed by its complete expression. Cleared by requeue.</summary>
    public bool Free { get; set; }

    /// <summary>
    /// The bound form (direct references to the nodes and attributes read), set by <see cref="ExpressionBinder"/>;
    /// null until bound, and again after a part is added. Bind again after the tree's shape changes.
    /// </summary>
    public BoundExpression? Bound { get; internal set; }

    /// <summary>The parsed parts, cached by <see cref="ExpressionParser.Parse(ExpressionAttribute)"/>.</summary>
    internal IReadOnlyList<ParsedExpression>? CachedParts { get; set; }

    /// <summary>The syntax error of the parts, cached like <see cref="CachedParts"/>.</summary>
    internal ExpressionSyntaxException? CachedSyntaxError { get; set; }

    /// <summary>Forgets the parsed and bound forms.</summary>
    internal void ClearCaches()
    {
        CachedParts = null;
        CachedSyntaxError = null;
        Bound = null;
    }

    /// <summary>Adds a continuation part.</summary>
    public void Add(ExpressionJoin join, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new TaklerException(TaklerErrorCode.ExpressionSyntax, "an expression must not be empty");
        }

        if (_parts.Length == 0 && join != ExpressionJoin.None)
        {
            join = ExpressionJoin.None;
        }
        else if (_parts.Length > 0 && join == ExpressionJoin.None)
        {
            join = ExpressionJoin.And;
        }

        _parts = [.. _parts, new ExpressionPart(join, text.Trim())];
        ClearCaches();
    }
}

/// <summary>One line of an expression.</summary>
public sealed record ExpressionPart(ExpressionJoin Join, string Text);
