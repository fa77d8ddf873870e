using System.Globalization;

namespace Takler.Core.Attributes;

/// <summary>
/// `hh:mm`, `+hh:mm` (relative to begin or requeue) or `hh:mm hh:mm hh:mm` (start, end, increment: a series of slots),
/// as used by `time`, `today` and `cron`.
/// </summary>
public sealed record TimeSeries
{
    public TimeSeries(TimeSpan start, TimeSpan? end = null, TimeSpan? increment = null, bool relative = false)
    {
        Check(start, "start", relative);
        if (end is { } e)
        {
            Check(e, "end", relative);
            if (increment is not { } inc || inc <= TimeSpan.Zero)
            {
                throw new TaklerException(TaklerErrorCode.UnsupportedValue, "a time series needs a positive increment");
            }

            if (e < start)
            {
                throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"a time series ends ({Format(e)}) before it starts ({Format(start)})");
            }
        }
        else if (increment is not null)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, "a time series increment needs an end");
        }

        Start = start;
        End = end;
        Increment = increment;
        Relative = relative;
    }

    /// <summary>The first slot, as a time of day (or an offset when <see cref="Relative"/>).</summary>
    public TimeSpan Start { get; }

    /// <summary>The last possible slot of a series; null for a single time.</summary>
    public TimeSpan? End { get; }

    /// <summary>The step between slots of a series.</summary>
    public TimeSpan? Increment { get; }

    /// <summary>`+hh:mm`: counted from the flow's begin or the node's requeue.</summary>
    public bool Relative { get; }

    /// <summary>True for a series of slots.</summary>
    public bool IsSeries => End is not null;

    /// <summary>The slots, in order.</summary>
    public IEnumerable<TimeSpan> Slots()
    {
        if (End is not { } end)
        {
            yield return Start;
            yield break;
        }

        for (var t = Start; t <= end; t += Increment!.Value)
        {
            yield return t;
        }
    }

    /// <summary>How many slots the series has (1 for a single time).</summary>
    public int SlotCount => End is { } end ? (int)((end - Start).Ticks / Increment!.Value.Ticks) + 1 : 1;

    /// <summary>
    /// The first slot at or after <paramref name="value"/> (a time of day, or an offset when <see cref="Relative"/>),
    /// or null when the series has no slot left.
    /// </summary>
    public TimeSpan? FirstSlotAtOrAfter(TimeSpan value)
    {
        if (value <= Start)
        {
            return Start;
        }

        if (End is not { } end)
        {
            return null;
        }

        var increment = Increment!.Value.Ticks;
        var steps = ((value - Start).Ticks + increment - 1) / increment;
        var slot = Start + TimeSpan.FromTicks(steps * increment);
        return slot <= end ? slot : null;
    }

    /// <summary>The zero-based index of <paramref name="slot"/> in the series (0 for a single time).</summary>
    public int IndexOf(TimeSpan slot) =>
        End is null || slot <= Start ? 0 : (int)((slot - Start).Ticks / Increment!.Value.Ticks);

    /// <summary>Parses the `.def` form from its tokens (one or three), e.g. `+01:00` or `10:00 20:00 00:30`.</summary>
    public static TimeSeries Parse(IReadOnlyList<string> tokens)
    {
        if (tokens.Count is not (1 or 3))
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"expected hh:mm or hh:mm hh:mm hh:mm, got '{string.Join(' ', tokens)}'");
        }

        var relative = tokens[0].StartsWith('+');
        var start = ParseClock(relative ? tokens[0][1..] : tokens[0], allowOver24: relative);
        if (tokens.Count == 1)
        {
            return new TimeSeries(start, relative: relative);
        }

        var end = ParseClock(tokens[1], allowOver24: relative);
        var increment = ParseClock(tokens[2], allowOver24: true);
        return new TimeSeries(start, end, increment, relative);
    }

    /// <summary>Parses `hh:mm`.</summary>
    public static TimeSpan ParseClock(string text, bool allowOver24 = false)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1 || colon == text.Length - 1 ||
            !int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var h) ||
            !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ||
            m > 59 || (!allowOver24 && h > 23))
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"'{text}' is not a time (hh:mm)");
        }

        return new TimeSpan(h, m, 0);
    }

    /// <summary>`hh:mm`, zero-padded.</summary>
    public static string Format(TimeSpan t) =>
        FormattableString.Invariant($"{(int)t.TotalHours:D2}:{t.Minutes:D2}");

    /// <summary>The `.def` form.</summary>
    public override string ToString()
    {
        var start = (Relative ? "+" : string.Empty) + Format(Start);
        return End is { } end ? $"{start} {Format(end)} {Format(Increment!.Value)}" : start;
    }

    private static void Check(TimeSpan t, string what, bool relative)
    {
        if (t < TimeSpan.Zero || (!relative && t >= TimeSpan.FromDays(1)))
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"time series {what} {Format(t)} is out of range");
        }
    }
}
