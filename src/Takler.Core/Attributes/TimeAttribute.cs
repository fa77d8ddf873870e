namespace Takler.Core.Attributes;

/// <summary>
/// `time ...` or `today ...`: the node may run only at the slots of its series. Run-time state: whether a slot has
/// come (<see cref="Free"/>, the latch, also set by free-dep), which slot that was, and from when the next slot is
/// counted after the node ran (<see cref="Since"/>). Times are flow times (the flow's clock), not real times.
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

    /// <summary>Index in <see cref="Series"/> of the slot the attribute waits for (or last fired at).</summary>
    public int NextSlot { get; set; }

    /// <summary>The flow time of the slot that last set the latch, so a slot is never fired twice; cleared by requeue.</summary>
    public DateTime? LastFired { get; set; }

    /// <summary>
    /// The flow time from which the next slot is counted, set when the node requeues itself for its next slot after
    /// a run; null after begin or requeue (then slots count from the node's <see cref="Nodes.Node.RequeuedAt"/>).
    /// </summary>
    public DateTime? Since { get; set; }

    /// <summary>Slots that passed while the node was held or running since its last requeue, and so did not each get a run.</summary>
    public int MissedSlots { get; set; }

    /// <summary>The keyword and its arguments, as in a `.def` file.</summary>
    public override string ToString() => $"{(IsToday ? "today" : "time")} {Series}";

    internal void Reset()
    {
        Free = false;
        NextSlot = 0;
        LastFired = null;
        Since = null;
        MissedSlots = 0;
    }
}
