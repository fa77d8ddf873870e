namespace Takler.Core.Attributes;

/// <summary>
/// `time ...` or `today ...`: the node may run only at the slots of its series. Run-time state: whether the
/// current slot has come (<see cref="Free"/>, Takler's latch, also set by free-dep) and which slot is next.
/// </summary>
public sealed class TimeAttribute
{
    public TimeAttribute(TimeSeries series, bool isToday = false)
    {
        Series = series;
        IsToday = isToday;
    }

    /// <summary>The slots.</summary>
    public TimeSeries Series { get; }

    /// <summary>`today` rather than `time`: a today whose time has passed at begin is free the same day.</summary>
    public bool IsToday { get; }

    /// <summary>The latch: true once the node's slot has come (or free-dep time); cleared by requeue.</summary>
    public bool Free { get; set; }

    /// <summary>Index of the next slot of a series still to run today.</summary>
    public int NextSlot { get; set; }

    /// <summary>The day (and slot) last fired, so a slot is never fired twice.</summary>
    public DateTime? LastFired { get; set; }

    /// <summary>The keyword and its arguments, as in a `.def` file.</summary>
    public override string ToString() => $"{(IsToday ? "today" : "time")} {Series}";

    internal void Reset()
    {
        Free = false;
        NextSlot = 0;
    }
}
