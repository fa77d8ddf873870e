using System.Globalization;
using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>
/// A compiled piece of a bound expression, holding direct references to what it reads. Every term has a number
/// (a status is its ordinal, an event 1 or 0, a condition 1 or 0) and a truth (a node is complete, an event is set,
/// anything else is non-zero). Terms never throw.
/// </summary>
internal abstract class BoundTerm
{
    protected BoundTerm(string source, int start, int length)
    {
        Source = source;
        Start = start;
        Length = length;
    }

    /// <summary>The text the term was read from; <see cref="Start"/> and <see cref="Length"/> locate it.</summary>
    public string Source { get; }

    public int Start { get; }

    public int Length { get; }

    /// <summary>The user's own words for this term.</summary>
    public string Text => Source.Substring(Start, Length);

    /// <summary>Whether the value is text that may not be a number (a variable or a label): compared as text then.</summary>
    public virtual bool IsTextual => false;

    /// <summary>The value as a condition.</summary>
    public abstract bool IsTrue();

    /// <summary>The value as a number.</summary>
    public abstract long Number();

    /// <summary>The value as text, for textual terms; null for the others.</summary>
    public virtual string? TextValue() => null;

    /// <summary>What this term reads, in words (`../t1 is active`, `m1 is 20`).</summary>
    public virtual void AddFacts(List<string> facts)
    {
    }

    /// <summary>The nodes this term reads.</summary>
    public virtual void AddDependencies(List<Node> nodes)
    {
    }

    /// <summary>Why this term is false: by default the term itself with the facts it reads.</summary>
    public virtual void ExplainFalse(List<string> reasons) => reasons.Add(Describe());

    /// <summary>The term's text and, in brackets, the facts it reads.</summary>
    public string Describe()
    {
        var facts = new List<string>();
        AddFacts(facts);
        return facts.Count == 0 ? Text : $"{Text} ({string.Join(", ", facts)})";
    }

    /// <summary>Parses a whole-number text (leading sign and surrounding blanks allowed).</summary>
    public static bool TryParseNumber(string? text, out long value) =>
        long.TryParse(
            text,
            NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
            CultureInfo.InvariantCulture,
            out value);

    /// <summary>Adds <paramref name="fact"/> unless already there (a node read twice is told once).</summary>
    protected static void AddFact(List<string> facts, string fact)
    {
        if (!facts.Contains(fact))
        {
            facts.Add(fact);
        }
    }

    /// <summary>Adds <paramref name="node"/> unless already there.</summary>
    protected static void AddDependency(List<Node> nodes, Node node)
    {
        foreach (var n in nodes)
        {
            if (ReferenceEquals(n, node))
            {
                return;
            }
        }

        nodes.Add(node);
    }

    /// <summary>A value as told in facts: numbers bare, other text quoted.</summary>
    protected static string Quote(string value) => TryParseNumber(value, out _) ? value.Trim() : $"'{value}'";
}
