namespace Takler.Core.Attributes;

/// <summary>
/// A repeat: the node runs once per value. When the node completes and there is a next value, the repeat
/// advances and the subtree is requeued; after the last value the node stays complete.
/// The current value is published as a parameter named <see cref="Name"/> (plus date parts for date repeats).
/// </summary>
public abstract class Repeat
{
    protected Repeat(string name)
    {
        Nodes.NodeNames.Validate(name, "repeat");
        Name = name;
    }

    /// <summary>The parameter name of the current value.</summary>
    public string Name { get; }

    /// <summary>The ecFlow keyword of this kind (`date`, `integer`, ...).</summary>
    public abstract string Kind { get; }

    /// <summary>Zero-based position of the current value.</summary>
    public int Position { get; protected set; }

    /// <summary>How many values there are; <see cref="int.MaxValue"/> for an endless repeat.</summary>
    public abstract int Count { get; }

    /// <summary>True once the repeat has gone past its last value.</summary>
    public bool IsExhausted { get; protected set; }

    /// <summary>The current value as substituted into scripts.</summary>
    public abstract string ValueText { get; }

    /// <summary>The current value as a number in triggers (the date as YYYYMMDD, the integer, or the position for strings).</summary>
    public abstract long NumericValue { get; }

    /// <summary>Whether there is a value after the current one.</summary>
    public bool HasNext => Position + 1 < Count;

    /// <summary>Moves to the next value; returns false (and marks the repeat exhausted) when there is none.</summary>
    public bool Advance()
    {
        if (!HasNext)
        {
            IsExhausted = true;
            return false;
        }

        Position++;
        return true;
    }

    /// <summary>Back to the first value.</summary>
    public void Reset()
    {
        Position = 0;
        IsExhausted = false;
    }

    /// <summary>Sets the position directly (restore, alter); rejects positions outside the values.</summary>
    public void SetPosition(int position, bool exhausted = false)
    {
        if (position < 0 || position >= Count)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"repeat {Name}: position {position} is outside 0..{Count - 1}");
        }

        Position = position;
        IsExhausted = exhausted;
    }

    /// <summary>The parameters this repeat generates, the value first.</summary>
    public virtual IEnumerable<KeyValuePair<string, string>> GeneratedParameters()
    {
        yield return new(Name, ValueText);
    }

    /// <summary>The definition as written after `repeat ` in a `.def` file.</summary>
    public abstract string DefinitionText { get; }

    /// <summary>A fresh copy at its first value.</summary>
    public abstract Repeat CloneDefinition();
}
