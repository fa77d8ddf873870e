using System.Globalization;
using Takler.Core.Attributes;

namespace Takler.Core.Nodes;

/// <summary>A flow (ecFlow's suite): the root of a tree, with its own clock and calendar, begun or not.</summary>
public sealed class Flow : NodeContainer
{
    public Flow(string name)
        : base(name)
    {
    }

    /// <summary>Whether the flow has begun; tasks of a flow not begun are never submitted.</summary>
    public bool Begun { get; internal set; }

    /// <summary>The clock attribute. The default value is a real-time clock.</summary>
    public ClockAttribute? Clock { get; set; }

    /// <summary>ecFlow's `endclock`, kept for round trips.</summary>
    public ClockAttribute? EndClock { get; set; }

    /// <summary>The calendar: flow time, set on begin and updated by the scheduler.</summary>
    public FlowCalendar Calendar { get; } = new();

    internal Bunch? OwnerBunch { get; set; }

    /// <summary>The flow time for a real (local) time, as the clock makes it.</summary>
    public DateTime ToFlowTime(DateTime realLocal)
    {
        if (Clock is not { } clock)
        {
            return realLocal;
        }

        var shifted = realLocal + clock.Gain;
        if (clock.Hybrid)
        {
            var date = clock.StartDate ?? (Calendar.InitialTime is { } t ? DateOnly.FromDateTime(t) : DateOnly.FromDateTime(shifted));
            return date.ToDateTime(TimeOnly.FromTimeSpan(shifted.TimeOfDay));
        }

        if (clock.StartDate is { } start)
        {
            var begin = Calendar.InitialRealTime ?? realLocal;
            return start.ToDateTime(TimeOnly.FromTimeSpan(begin.TimeOfDay)) + clock.Gain + (realLocal - begin);
        }

        return shifted;
    }

    public override IEnumerable<KeyValuePair<string, string>> GeneratedParameters()
    {
        var c = CultureInfo.InvariantCulture;
        var time = Calendar.FlowTime;
        yield return new("FLOW", Name);
        yield return new("SUITE", Name);
        if (time is not { } t)
        {
            yield break;
        }

        var date = DateOnly.FromDateTime(t);
        yield return new("DATE", t.ToString("yyyy-MM-dd", c));
        yield return new("TIME", t.ToString("HH:mm", c));
        yield return new("TAKLER_DATE", t.ToString("yyyyMMdd", c));
        yield return new("TAKLER_TIME", t.ToString("HH:mm", c));
        yield return new("TAKLER_JULIAN", Text(RepeatDates.Julian(date)));
        yield return new("ECF_DATE", t.ToString("yyyyMMdd", c));
        yield return new("ECF_TIME", t.ToString("HH:mm", c));
        yield return new("ECF_JULIAN", Text(RepeatDates.Julian(date)));
        yield return new("YYYY", t.ToString("yyyy", c));
        yield return new("MM", t.ToString("MM", c));
        yield return new("DD", t.ToString("dd", c));
        yield return new("DOW", Text((int)t.DayOfWeek));
        yield return new("DOY", Text(t.DayOfYear));
        yield return new("DAY", t.DayOfWeek.ToString().ToLowerInvariant());
        yield return new("MONTH", t.ToString("MMMM", c).ToLowerInvariant());
    }
}
