using Takler.Core.Expressions;

namespace Takler.Core.Attributes;

/// <summary>
/// A trigger or complete expression on a node: one or more parts (ecFlow's `-a`/`-o` continuation lines),
/// plus its run-time latch (<see cref="Free"/>: free-dep for a trigger, "completed by its expression" for a complete).
/// </summary>
public sealed class ExpressionAttribute
{
    // Almost every expression has one part: it is kept as its text alone (no array, no part object: 64 bytes less
    // per trigger of a restored tree) until the parts are asked for; then, and once there are more, the parts array.
    private object _parts;

    // The parsed parts or the syntax error (never both): one field for the two caches.
    private object? _parsed;

    public ExpressionAttribute(string text)
    {
        _parts = Checked(text);
    }

    /// <summary>The parts in order; the first has <see cref="ExpressionJoin.None"/>.</summary>
    public IReadOnlyList<ExpressionPart> Parts => PartArray;

    /// <summary>The whole expression as one text: the single part verbatim, or the parts joined in brackets.</summary>
    public string Text
    {
        get
        {
            if (_parts is string single)
            {
                return single;
            }

            var parts = (ExpressionPart[])_parts;
            return parts.Length == 1
                ? parts[0].Text
                : string.Concat(parts.Select((p, i) => i == 0 ? $"({p.Text})" : $" {(p.Join == ExpressionJoin.Or ? "or" : "and")} ({p.Text})"));
        }
    }

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

    /// <summary>How many parts there are, without making the parts array of a single-part expression.</summary>
    internal int PartCount => _parts is string ? 1 : ((ExpressionPart[])_parts).Length;

    /// <summary>The join and text of part <paramref name="index"/>, without making the parts array (writers).</summary>
    internal (ExpressionJoin Join, string Text) PartAt(int index)
    {
        if (_parts is string single)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(index, 0);
            return (ExpressionJoin.None, single);
        }

        var part = ((ExpressionPart[])_parts)[index];
        return (part.Join, part.Text);
    }

    /// <summary>The parts as an array, made from the single text the first time they are asked for.</summary>
    private ExpressionPart[] PartArray
    {
        get
        {
            if (_parts is string single)
            {
                _parts = new[] { new ExpressionPart(ExpressionJoin.None, single) };
            }

            return (ExpressionPart[])_parts;
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
        _parts = (ExpressionPart[])[.. PartArray, new ExpressionPart(join == ExpressionJoin.None ? ExpressionJoin.And : join, text)];
        ClearCaches();
    }

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
