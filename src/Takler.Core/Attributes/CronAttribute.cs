using System.Globalization;

namespace Takler.Core.Attributes;

/// <summary>
/// `cron [-w days] [-d days-of-month|L] [-m months] hh:mm [end incr]`: like a time series restricted to some
/// week days, days of month and months. A node with a cron never stays complete: it requeues after each run.
/// A week day may carry `L` (`-w 5L`: the last Friday of the month); the series may be relative (`+00:00 23:59 00:01`),
/// as ecFlow allows.
/// </summary>
public sealed class CronAttribute
{
    public CronAttribute(
        TimeSeries series,
        IReadOnlyList<int>? weekDays = null,
        IReadOnlyList<int>? daysOfMonth = null,
        bool lastDayOfMonth = false,
        IReadOnlyList<int>? months = null,
        IReadOnlyList<int>? lastWeekDays = null)
    {
        WeekDays = Checked(weekDays, 0, 6, "cron -w day");
        LastWeekDays = Checked(lastWeekDays, 0, 6, "cron -w day");
        DaysOfMonth = Checked(daysOfMonth, 1, 31, "cron -d day of month");
        Months = Checked(months, 1, 12, "cron -m month");
        LastDayOfMonth = lastDayOfMonth;
        Series = series;
    }

    public TimeSeries Series { get; }

    /// <summary>0 = Sunday ... 6 = Saturday; empty = any.</summary>
    public IReadOnlyList<int> WeekDays { get; }

    /// <summary>`-w 0L`: 0 = the last Sunday of the month ... 6 = the last Saturday; empty = none.</summary>
    public IReadOnlyList<int> LastWeekDays { get; }

    /// <summary>1..31; empty = any (unless <see cref="LastDayOfMonth"/>).</summary>
    public IReadOnlyList<int> DaysOfMonth { get; }

    /// <summary>`-d L`: the last day of each month.</summary>
    public bool LastDayOfMonth { get; }

    /// <summary>1..12; empty = any.</summary>
    public IReadOnlyList<int> Months { get; }

    /// <summary>Which slot is next today.</summary>
    public int NextSlot { get; set; }

    /// <summary>The flow time of the slot that last set the latch; cleared by requeue.</summary>
    public DateTime? LastFired { get; set; }

    /// <summary>Latch set by free-dep or by the slot's arrival; cleared when the node requeues.</summary>
    public bool Free { get; set; }

    /// <summary>The flow time from which the next slot is counted after a run; null after begin or requeue.</summary>
    public DateTime? Since { get; set; }

    /// <summary>Slots that passed while the node was held or running, and so did not each get a run.</summary>
    public int MissedSlots { get; set; }

    /// <summary>
    /// The first slot at or after <paramref name="from"/> (flow time) on a day the cron allows, searching at most
    /// <paramref name="maxDays"/> days ahead; null when there is none.
    /// </summary>
    public DateTime? FirstSlotAtOrAfter(DateTime from, int maxDays = 3000)
    {
        var day = DateOnly.FromDateTime(from);
        var timeOfDay = from.TimeOfDay;
        for (var i = 0; i <= maxDays; i++)
        {
            if (MatchesDay(day) && Series.FirstSlotAtOrAfter(timeOfDay) is { } slot)
            {
                return day.ToDateTime(TimeOnly.MinValue) + slot;
            }

            if (day == DateOnly.MaxValue)
            {
                return null;
            }

            day = day.AddDays(1);
            timeOfDay = TimeSpan.Zero;
        }

        return null;
    }

    internal void Reset()
    {
        Free = false;
        NextSlot = 0;
        LastFired = null;
        Since = null;
        MissedSlots = 0;
    }

    /// <summary>Whether the cron may fire on <paramref name="date"/>.</summary>
    public bool MatchesDay(DateOnly date)
    {
        if (Months.Count > 0 && !Months.Contains(date.Month))
        {
            return false;
        }

        var daysInMonth = DateTime.DaysInMonth(date.Year, date.Month);
        if ((WeekDays.Count > 0 || LastWeekDays.Count > 0) &&
            !WeekDays.Contains((int)date.DayOfWeek) &&
            !(LastWeekDays.Contains((int)date.DayOfWeek) && date.Day > daysInMonth - 7))
        {
            return false;
        }

        var isLast = date.Day == daysInMonth;
        if (DaysOfMonth.Count > 0 || LastDayOfMonth)
        {
            return DaysOfMonth.Contains(date.Day) || (LastDayOfMonth && isLast);
        }

        return true;
    }

    public override string ToString()
    {
        var parts = new List<string> { "cron" };
        if (WeekDays.Count > 0 || LastWeekDays.Count > 0)
        {
            // As ecFlow prints them: the plain week days, then the last-of-month ones.
            var days = WeekDays.Select(d => d.ToString(CultureInfo.InvariantCulture))
                .Concat(LastWeekDays.Select(d => d.ToString(CultureInfo.InvariantCulture) + "L"));
            parts.Add("-w " + string.Join(',', days));
        }

        if (DaysOfMonth.Count > 0 || LastDayOfMonth)
        {
            var days = DaysOfMonth.Select(d => d.ToString(CultureInfo.InvariantCulture)).ToList();
            if (LastDayOfMonth)
            {
                days.Add("L");
            }

            parts.Add("-d " + string.Join(',', days));
        }

        if (Months.Count > 0)
        {
            parts.Add("-m " + string.Join(',', Months.Select(d => d.ToString(CultureInfo.InvariantCulture))));
        }

        parts.Add(Series.ToString());
        return string.Join(' ', parts);
    }

    private static int[] Checked(IReadOnlyList<int>? values, int min, int max, string what)
    {
        if (values is null)
        {
            return [];
        }

        foreach (var v in values)
        {
            if (v < min || v > max)
            {
                throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"{what} {v} is outside {min}..{max}");
            }
        }

        return values.Distinct().Order().ToArray();
    }
}
