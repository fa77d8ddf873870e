namespace Takler.Core.Attributes;

/// <summary>
/// A flow's clock (ecFlow's `clock real|hybrid [dd.mm.yyyy] [+|-gain]`): real time, or hybrid (the date fixed, the
/// time of day running), optionally starting at a given date and shifted by a gain.
/// </summary>
public sealed record ClockAttribute(bool Hybrid = false, DateOnly? StartDate = null, TimeSpan Gain = default, bool GainGiven = false)
{
    /// <summary>The `.def` form (`clock hybrid 1.1.2024 +3600`).</summary>
    public override string ToString()
    {
        var text = Hybrid ? "clock hybrid" : "clock real";
        if (StartDate is { } d)
        {
            text += FormattableString.Invariant($" {d.Day}.{d.Month}.{d.Year}");
        }

        if (GainGiven || Gain != TimeSpan.Zero)
        {
            var seconds = (long)Gain.TotalSeconds;
            text += seconds >= 0 ? FormattableString.Invariant($" +{seconds}") : FormattableString.Invariant($" {seconds}");
        }

        return text;
    }
}
