using Takler.Core.Nodes;

namespace Takler.Core.Scheduling;

/// <summary>
/// A flow's clock as the scheduling rules use it: a continuous flow timeline (real local time shifted by the clock's
/// gain and start date) on which time slots are placed, the calendar date that `date`/`day` test (fixed for a hybrid
/// clock), and the way back from a flow time to a real instant so the engine knows when to wake.
/// </summary>
public readonly struct FlowClock
{
    private readonly TimeZoneInfo _zone;
    private readonly TimeSpan _offset;

    private FlowClock(TimeZoneInfo zone, TimeSpan offset, bool hybrid, DateOnly fixedDate)
    {
        _zone = zone;
        _offset = offset;
        Hybrid = hybrid;
        FixedDate = fixedDate;
    }

    /// <summary>Whether the clock is hybrid: the date stays fixed while the time of day runs.</summary>
    public bool Hybrid { get; }

    /// <summary>The date of a hybrid clock.</summary>
    public DateOnly FixedDate { get; }

    /// <summary>The clock of <paramref name="flow"/>, with local time in <paramref name="zone"/>.</summary>
    public static FlowClock For(Flow flow, TimeZoneInfo zone, DateTimeOffset now)
    {
        var realLocal = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        if (flow.Clock is { Hybrid: true } clock)
        {
            var fixedDate = clock.StartDate
                ?? (flow.Calendar.InitialTime is { } initial ? DateOnly.FromDateTime(initial) : DateOnly.FromDateTime(realLocal + clock.Gain));
            return new FlowClock(zone, clock.Gain, hybrid: true, fixedDate);
        }

        // A real clock is a constant shift of real local time: the gain, plus the start date's distance from the begin date.
        var offset = flow.Calendar is { InitialTime: { } flowBegin, InitialRealTime: { } realBegin }
            ? flowBegin - realBegin
            : flow.ToFlowTime(realLocal) - realLocal;
        return new FlowClock(zone, offset, hybrid: false, default);
    }

    /// <summary>The flow time of a real instant, on the continuous timeline.</summary>
    public DateTime ToFlowTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, _zone).DateTime + _offset;

    /// <summary>The first real instant at which the flow time reaches <paramref name="flowTime"/>.</summary>
    public DateTimeOffset ToInstant(DateTime flowTime) => LocalToInstant(flowTime - _offset, _zone);

    /// <summary>The calendar date <paramref name="flowTime"/> falls on, as `date` and `day` see it.</summary>
    public DateOnly DateOf(DateTime flowTime) => Hybrid ? FixedDate : DateOnly.FromDateTime(flowTime);

    /// <summary>
    /// The first instant whose local wall time in <paramref name="zone"/> is at or after <paramref name="local"/>:
    /// the end of a daylight-saving gap for a time inside it, the earlier of two for an ambiguous time.
    /// </summary>
    internal static DateTimeOffset LocalToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var probe = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified);
            for (var i = 0; i < 24 * 60 && zone.IsInvalidTime(probe); i++)
            {
                probe = probe.AddMinutes(1);
            }

            return new DateTimeOffset(probe, zone.GetUtcOffset(probe));
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            return new DateTimeOffset(local, offsets.Max());
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
