using System.Globalization;
using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Scheduling;

/// <summary>
/// ecFlow's time dependencies on one node: `time`, `today`, `date`, `day` and `cron`.
/// <para>
/// Every attribute is read as "the first moment at or after the node's last requeue at which it is due": a slot
/// (`time`, `today`, `cron`) or the start of a matching day (`date`, `day`). Once due it stays free until the next
/// requeue (ecFlow 5's latch), so a slot that passes while the node is held is not lost: the node runs when the
/// rest of its dependencies hold, once. Times, todays and crons are OR-ed; dates and days are OR-ed; the two groups
/// are AND-ed, and a date or day (on the node or above it) guards the times: no slot counts before the day is free.
/// After a run the node requeues itself while a time series has a slot left that day, and a cron always does
/// (<see cref="PlanNextSlot"/>); the next slot is the first one after the run ended, so a slot is never run twice.
/// </para>
/// </summary>
internal static class TimeDependencies
{
    /// <summary>How far ahead a date, day or cron is searched (over 8 years: covers 29 February).</summary>
    internal const int SearchDays = 3000;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>The time truncated to its minute: ecFlow's resolution for slots.</summary>
    public static DateTime FloorMinute(DateTime t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerMinute), t.Kind);

    /// <summary>The flow time of the node's last begin or requeue (the nearest one recorded above it, else now).</summary>
    public static DateTime Anchor(Node node, FlowClock clock, DateTimeOffset now)
    {
        for (Node? n = node; n is not null; n = n.Parent)
        {
            if (n.RequeuedAt is { } at)
            {
                return clock.ToFlowTime(at);
            }
        }

        return clock.ToFlowTime(now);
    }

    /// <summary>When a `date` becomes free after <paramref name="anchor"/>: the start of its first matching day; null for never.</summary>
    public static DateTime? DateDue(DateAttribute date, DateTime anchor, FlowClock clock)
    {
        if (clock.Hybrid)
        {
            return date.Matches(clock.FixedDate) ? DateTime.MinValue : null;
        }

        return date.FirstMatchOnOrAfter(DateOnly.FromDateTime(anchor), SearchDays) is { } day ? day.ToDateTime(TimeOnly.MinValue) : null;
    }

    /// <summary>When a `day` becomes free after <paramref name="anchor"/>; null for never (a hybrid clock on another day).</summary>
    public static DateTime? DayDue(DayAttribute day, DateTime anchor, FlowClock clock)
    {
        if (clock.Hybrid)
        {
            return clock.FixedDate.DayOfWeek == day.Day ? DateTime.MinValue : null;
        }

        return day.FirstMatchOnOrAfter(DateOnly.FromDateTime(anchor)).ToDateTime(TimeOnly.MinValue);
    }

    /// <summary>
    /// The earliest flow time from which the dates and days on the node and above it all allow a slot (each node's
    /// dates/days OR-ed, the nodes AND-ed); <see cref="DateTime.MinValue"/> when nothing guards, null for never.
    /// </summary>
    public static DateTime? GuardDue(Node node, FlowClock clock, DateTimeOffset now)
    {
        var guard = DateTime.MinValue;
        for (Node? n = node; n is not null; n = n.Parent)
        {
            if (n.Dates.Count == 0 && n.Days.Count == 0)
            {
                continue;
            }

            var anchor = Anchor(n, clock, now);
            DateTime? earliest = null;
            foreach (var date in n.Dates)
            {
                earliest = Min(earliest, date.Free ? DateTime.MinValue : DateDue(date, anchor, clock));
            }

            foreach (var day in n.Days)
            {
                earliest = Min(earliest, day.Free ? DateTime.MinValue : DayDue(day, anchor, clock));
            }

            if (earliest is not { } e)
            {
                return null;
            }

            guard = e > guard ? e : guard;
        }

        return guard;
    }

    /// <summary>The slot a `time` or `today` waits for: the first at or after <paramref name="since"/> (or the anchor) and the guard; null for none.</summary>
    public static DateTime? TimeDue(TimeAttribute time, DateTime anchor, DateTime guard, DateTime? since)
    {
        var series = time.Series;
        if (series.Relative)
        {
            var lower = Max(since ?? anchor, guard);
            var offset = lower > anchor ? lower - anchor : TimeSpan.Zero;
            return series.FirstSlotAtOrAfter(offset) is { } relativeSlot ? anchor + relativeSlot : null;
        }

        var from = Max(since ?? FloorMinute(anchor), guard);
        if (time.IsToday)
        {
            var day = anchor.Date;
            if (from.Date == day && series.FirstSlotAtOrAfter(from.TimeOfDay) is { } todaySlot)
            {
                return day + todaySlot;
            }

            // "today" does not wrap to tomorrow: a today whose time has passed is free at once, the first time only.
            return since is null && time.LastFired is null ? from : null;
        }

        return series.FirstSlotAtOrAfter(from.TimeOfDay) is { } slot ? from.Date + slot : from.Date.AddDays(1) + series.Start;
    }

    /// <summary>The slot a `cron` waits for; null when no allowed day comes within the search window.</summary>
    public static DateTime? CronDue(CronAttribute cron, DateTime anchor, DateTime guard, DateTime? since) =>
        cron.FirstSlotAtOrAfter(Max(since ?? FloorMinute(anchor), guard), SearchDays);

    /// <summary>
    /// Whether the node's time dependencies hold at <paramref name="now"/>, and the next flow time at which one of
    /// them comes due. With <paramref name="latch"/>, times and crons that came due are latched free and remember
    /// their slot. A date or day is not latched: its due day follows from the requeue alone, and its
    /// <see cref="DateAttribute.Free"/> stays free-dep's, so that a day guarding a time keeps its own start.
    /// </summary>
    public static TimeCheck Evaluate(Node node, FlowClock clock, DateTimeOffset now, bool latch)
    {
        if (!node.HasTimeDependencies)
        {
            return new TimeCheck(true, null, false);
        }

        var flowNow = clock.ToFlowTime(now);
        var anchor = Anchor(node, clock, now);
        DateTime? next = null;
        var latched = false;

        var dayOk = node.Dates.Count == 0 && node.Days.Count == 0;
        foreach (var date in node.Dates)
        {
            if (date.Free || Came(DateDue(date, anchor, clock), flowNow, ref next))
            {
                dayOk = true;
            }
        }

        foreach (var day in node.Days)
        {
            if (day.Free || Came(DayDue(day, anchor, clock), flowNow, ref next))
            {
                dayOk = true;
            }
        }

        var timeOk = node.Times.Count == 0 && node.Crons.Count == 0;
        if (!timeOk)
        {
            var guard = GuardDue(node, clock, now);
            foreach (var time in node.Times)
            {
                if (time.Free)
                {
                    timeOk = true;
                    continue;
                }

                var due = guard is { } g ? TimeDue(time, anchor, g, time.Since) : null;
                if (Came(due, flowNow, ref next))
                {
                    timeOk = true;
                    if (latch)
                    {
                        time.Free = true;
                        time.LastFired = due;
                        time.NextSlot = time.Series.IndexOf(SlotOffset(time, due!.Value, anchor));
                        latched = true;
                    }
                }
                else if (latch && due is { } d)
                {
                    time.NextSlot = time.Series.IndexOf(SlotOffset(time, d, anchor));
                }
            }

            foreach (var cron in node.Crons)
            {
                if (cron.Free)
                {
                    timeOk = true;
                    continue;
                }

                var due = guard is { } g ? CronDue(cron, anchor, g, cron.Since) : null;
                if (Came(due, flowNow, ref next))
                {
                    timeOk = true;
                    if (latch)
                    {
                        cron.Free = true;
                        cron.LastFired = due;
                        cron.NextSlot = cron.Series.IndexOf(due!.Value.TimeOfDay);
                        latched = true;
                    }
                }
            }
        }

        return new TimeCheck(dayOk && timeOk, next, latched);
    }

    /// <summary>Adds a sentence for each time dependency of <paramref name="node"/> that holds it at <paramref name="now"/>.</summary>
    public static void Describe(Node node, FlowClock clock, DateTimeOffset now, string prefix, List<string> reasons)
    {
        if (!node.HasTimeDependencies || Evaluate(node, clock, now, latch: false).Free)
        {
            return;
        }

        var flowNow = clock.ToFlowTime(now);
        var anchor = Anchor(node, clock, now);
        var dayFree = node.Dates.Count == 0 && node.Days.Count == 0;
        var dayReasons = new List<string>();
        foreach (var date in node.Dates)
        {
            var due = date.Free ? DateTime.MinValue : DateDue(date, anchor, clock);
            dayFree |= due <= flowNow;
            dayReasons.Add(due is { } d
                ? $"{prefix}waiting for {date} ({When(d, flowNow, withTime: false)})"
                : $"{prefix}waiting for {date} (no such date to come)");
        }

        foreach (var day in node.Days)
        {
            var due = day.Free ? DateTime.MinValue : DayDue(day, anchor, clock);
            dayFree |= due <= flowNow;
            dayReasons.Add(due is { } d
                ? $"{prefix}waiting for {day} ({When(d, flowNow, withTime: false)})"
                : $"{prefix}waiting for {day} (the hybrid clock's date {clock.FixedDate:yyyy-MM-dd} is a {clock.FixedDate.DayOfWeek})");
        }

        if (!dayFree)
        {
            reasons.AddRange(dayReasons);
        }

        if (node.Times.Count == 0 && node.Crons.Count == 0)
        {
            return;
        }

        var guard = GuardDue(node, clock, now);
        var timeFree = node.Times.Any(t => t.Free) || node.Crons.Any(c => c.Free);
        var timeReasons = new List<string>();
        foreach (var time in node.Times)
        {
            var due = guard is { } g ? TimeDue(time, anchor, g, time.Since) : null;
            timeFree |= due <= flowNow;
            var missed = time.MissedSlots > 0 ? $"; {Plural(time.MissedSlots, "slot")} missed while it was held or running" : string.Empty;
            if (due is { } d)
            {
                timeReasons.Add($"{prefix}waiting for {time} (next slot {When(d, flowNow, withTime: true)}{missed})");
            }
            else if (guard is null)
            {
                timeReasons.Add($"{prefix}waiting for {time} (never: a date or day on it or above it can no longer match)");
            }
            else
            {
                timeReasons.Add($"{prefix}{time} has no slot left{(time.IsToday ? " today" : string.Empty)} (until the node is requeued{missed})");
            }
        }

        foreach (var cron in node.Crons)
        {
            var due = guard is { } g ? CronDue(cron, anchor, g, cron.Since) : null;
            timeFree |= due <= flowNow;
            timeReasons.Add(due is { } d
                ? $"{prefix}waiting for {cron} (next run {When(d, flowNow, withTime: true)})"
                : $"{prefix}waiting for {cron} (no allowed day within {SearchDays} days)");
        }

        if (!timeFree)
        {
            reasons.AddRange(timeReasons);
        }
    }

    /// <summary>
    /// After <paramref name="node"/> completed at <paramref name="now"/>: whether it requeues itself for a time slot
    /// (a cron always; a time series or several times while a slot is left on the day of the run; a relative series
    /// while it has a slot left), and the state its time attributes take. Null when the node stays complete.
    /// </summary>
    public static SlotRequeuePlan? PlanNextSlot(Node node, FlowClock clock, DateTimeOffset now)
    {
        if (node.Times.Count == 0 && node.Crons.Count == 0)
        {
            return null;
        }

        var flowNow = clock.ToFlowTime(now);
        var anchor = Anchor(node, clock, now);
        var afterRun = FloorMinute(flowNow) + Minute;
        DateTime? lastRun = null;
        foreach (var time in node.Times)
        {
            lastRun = Max(lastRun, time.LastFired);
        }

        foreach (var cron in node.Crons)
        {
            lastRun = Max(lastRun, cron.LastFired);
        }

        var runDay = (lastRun ?? flowNow).Date;
        var requeue = node.Crons.Count > 0;
        var plan = new SlotRequeuePlan();
        foreach (var time in node.Times)
        {
            var since = NextSince(afterRun, time.LastFired, time.Since);
            var missed = time.MissedSlots + CountSlotsBetween(t => TimeDue(time, anchor, DateTime.MinValue, t), time.LastFired, since);
            plan.Times.Add((time, since, time.LastFired, missed));
            if (TimeDue(time, anchor, DateTime.MinValue, since) is { } due && (time.Series.Relative || due.Date == runDay))
            {
                requeue = true;
            }
        }

        foreach (var cron in node.Crons)
        {
            var since = NextSince(afterRun, cron.LastFired, cron.Since);
            var missed = cron.MissedSlots + CountSlotsBetween(t => CronDue(cron, anchor, DateTime.MinValue, t), cron.LastFired, since);
            plan.Crons.Add((cron, since, cron.LastFired, missed));
        }

        return requeue ? plan : null;
    }

    /// <summary>`today at 10:00`, `tomorrow at 10:00`, `on Monday 2024-01-15 at 10:00` (or without the time).</summary>
    internal static string When(DateTime due, DateTime now, bool withTime)
    {
        var c = CultureInfo.InvariantCulture;
        if (due <= now)
        {
            return "now";
        }

        var time = due.Second == 0 ? due.ToString("HH:mm", c) : due.ToString("HH:mm:ss", c);
        var day = (due.Date - now.Date).Days switch
        {
            0 => "today",
            1 => "tomorrow",
            _ => "on " + due.ToString("dddd yyyy-MM-dd", c),
        };
        return withTime ? $"{day} at {time}" : day;
    }

    internal static string Plural(int count, string what) =>
        count == 1 ? $"1 {what}" : string.Create(CultureInfo.InvariantCulture, $"{count} {what}s");

    private static TimeSpan SlotOffset(TimeAttribute time, DateTime slot, DateTime anchor) =>
        time.Series.Relative ? slot - anchor : slot.TimeOfDay;

    private static DateTime NextSince(DateTime afterRun, DateTime? lastFired, DateTime? since)
    {
        var next = afterRun;
        if (lastFired is { } fired && fired.AddTicks(1) > next)
        {
            next = fired.AddTicks(1);
        }

        return since is { } s && s > next ? s : next;
    }

    /// <summary>How many slots lie strictly between the one that fired and <paramref name="until"/>.</summary>
    private static int CountSlotsBetween(Func<DateTime, DateTime?> slotAtOrAfter, DateTime? fired, DateTime until)
    {
        if (fired is not { } from)
        {
            return 0;
        }

        var count = 0;
        var slot = slotAtOrAfter(from.AddTicks(1));
        while (slot is { } s && s < until && count < 100_000)
        {
            count++;
            slot = slotAtOrAfter(s.AddTicks(1));
        }

        return count;
    }

    private static bool Came(DateTime? due, DateTime now, ref DateTime? next)
    {
        if (due is not { } d)
        {
            return false;
        }

        if (d <= now)
        {
            return true;
        }

        next = Min(next, d);
        return false;
    }

    private static DateTime? Min(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTime? Max(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}

/// <summary>The outcome of <see cref="TimeDependencies.Evaluate"/>.</summary>
/// <param name="Free">Whether the node's time dependencies hold.</param>
/// <param name="NextDue">The next flow time at which an attribute of the node comes due, if any.</param>
/// <param name="Latched">Whether an attribute was latched free by this evaluation.</param>
internal readonly record struct TimeCheck(bool Free, DateTime? NextDue, bool Latched);

/// <summary>The time state a node takes when it requeues itself for its next slot (see <see cref="TimeDependencies.PlanNextSlot"/>).</summary>
internal sealed class SlotRequeuePlan
{
    public List<(TimeAttribute Attribute, DateTime Since, DateTime? LastFired, int Missed)> Times { get; } = [];

    public List<(CronAttribute Attribute, DateTime Since, DateTime? LastFired, int Missed)> Crons { get; } = [];

    /// <summary>Writes the planned state (after the requeue has reset the attributes).</summary>
    public void Apply()
    {
        foreach (var (attribute, since, lastFired, missed) in Times)
        {
            attribute.Since = since;
            attribute.LastFired = lastFired;
            attribute.MissedSlots = missed;
        }

        foreach (var (attribute, since, lastFired, missed) in Crons)
        {
            attribute.Since = since;
            attribute.LastFired = lastFired;
            attribute.MissedSlots = missed;
        }
    }
}
