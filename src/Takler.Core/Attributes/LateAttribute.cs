namespace Takler.Core.Attributes;

/// <summary>
/// `late -s +hh:mm -a hh:mm -c [+]hh:mm`: the longest a task may stay submitted, the time of day by which it must
/// be active, and the longest it may run (relative) or the time of day by which it must be complete.
/// </summary>
public sealed record LateAttribute
{
    public LateAttribute(TimeSpan? submitted, TimeSpan? active, TimeSpan? complete, bool completeRelative)
    {
        if (submitted is null && active is null && complete is null)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, "late needs at least one of -s, -a, -c");
        }

        Submitted = submitted;
        Active = active;
        Complete = complete;
        CompleteRelative = completeRelative;
    }

    /// <summary>`-s +hh:mm`: longest time in submitted.</summary>
    public TimeSpan? Submitted { get; }

    /// <summary>`-a hh:mm`: time of day by which the task must be active.</summary>
    public TimeSpan? Active { get; }

    /// <summary>`-c`: time of day, or (with <see cref="CompleteRelative"/>) the longest run time.</summary>
    public TimeSpan? Complete { get; }

    /// <summary>`-c +hh:mm` rather than `-c hh:mm`.</summary>
    public bool CompleteRelative { get; }

    public override string ToString()
    {
        var parts = new List<string> { "late" };
        if (Submitted is { } s)
        {
            parts.Add("-s +" + TimeSeries.Format(s));
        }

        if (Active is { } a)
        {
            parts.Add("-a " + TimeSeries.Format(a));
        }

        if (Complete is { } c)
        {
            parts.Add("-c " + (CompleteRelative ? "+" : string.Empty) + TimeSeries.Format(c));
        }

        return string.Join(' ', parts);
    }
}
