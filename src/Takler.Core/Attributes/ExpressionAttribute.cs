using Takler.Core.Expressions;

namespace Takler.Core.Attributes;

/// <summary>
/// A trigger or complete expression on a node: one or more parts (ecFlow's `-a`/`-o` continuation lines),
/// plus its run-time latch (<see cref="Free"/>: free-dep for a trigger, "completed by its expression" for a complete).
/// </summary>
/// <remarks>
/// The attribute is itself the list <see cref="Parts"/> returns: almost every expression has one part, and it is
/// kept alone rather than in an array (32 bytes less per trigger of a restored tree, and no list to make later).
/// </remarks>
public sealed class ExpressionAttribute : IReadOnlyList<ExpressionPart>
{
    // The single part, or the array of two or more.
    private object _parts;

    // The parsed parts or the syntax error (never both): one field for the two caches.
    private object? _parsed;

    public ExpressionAttribute(string text)
    {
        _parts = new ExpressionPart(ExpressionJoin.None, Checked(text));
    }

    /// <summary>The parts in order; the first has <see cref="ExpressionJoin.None"/>.</summary>
    public IReadOnlyList<ExpressionPart> Parts => this;

    /// <summary>The whole expression as one text: the single part verbatim, or the parts joined in brackets.</summary>
    public string Text =>
        _parts is ExpressionPart single
            ? single.Text
            : string.Concat(this.Select((p, i) => i == 0 ? $"({p.Text})" : $" {(p.Join == ExpressionJoin.Or ? "or" : "and")} ({p.Text})"));

    /// <summary>The latch: a freed trigger, or a node completed by its complete expression. Cleared by requeue.</summary>
    public bool Free { get; set; }

    /// <summary>
    /// The bound form (direct references to the nodes and attributes read), set by <see cref="ExpressionBinder"/>;
    /// null until bound, and again after a part is added. Bind again after the tree's shape changes.
    /// </summary>
    public BoundExpression? Bound { get; internal set; }

    /// <summary>The parsed parts, cached by <see cref="ExpressionParser.Parse(ExpressionAttribute)"/>.</summary>
    internal IReadOnlyList<ParsedExpression>? CachedParts
    {
        get => _parsed as IReadOnlyList<ParsedExpression>;
        set => SetParsed(value, CachedParts);
    }

    /// <summary>The syntax error of the parts, cached like <see cref="CachedParts"/>.</summary>
    internal ExpressionSyntaxException? CachedSyntaxError
    {
        get => _parsed as ExpressionSyntaxException;
        set => SetParsed(value, CachedSyntaxError);
    }

    int IReadOnlyCollection<ExpressionPart>.Count => _parts is ExpressionPart ? 1 : ((ExpressionPart[])_parts).Length;

    ExpressionPart IReadOnlyList<ExpressionPart>.this[int index]
    {
        get
        {
            if (_parts is ExpressionPart single)
            {
                ArgumentOutOfRangeException.ThrowIfNotEqual(index, 0);
                return single;
            }

            return ((ExpressionPart[])_parts)[index];
        }
    }

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
        text = Checked(text);
        ExpressionPart[] parts = [.. this, new ExpressionPart(join == ExpressionJoin.None ? ExpressionJoin.And : join, text)];
        _parts = parts;
        ClearCaches();
    }

    IEnumerator<ExpressionPart> IEnumerable<ExpressionPart>.GetEnumerator()
    {
        for (var i = 0; i < Parts.Count; i++)
        {
            yield return Parts[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => ((IEnumerable<ExpressionPart>)this).GetEnumerator();

    /// <summary>Sets the cache of parsed parts or of the syntax error; clearing one leaves the other.</summary>
    private void SetParsed(object? value, object? current)
    {
        if (value is not null || ReferenceEquals(_parsed, current))
        {
            _parsed = value;
        }
    }

    private static string Checked(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new TaklerException(TaklerErrorCode.ExpressionSyntax, "an expression must not be empty");
        }

        return text.Trim();
    }
}

/// <summary>One line of an expression.</summary>
public sealed record ExpressionPart(ExpressionJoin Join, string Text);
