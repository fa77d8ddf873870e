using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Takler.Core.Scheduling;

namespace Takler.Core.Tests.Scheduling;

public class FlowClockTests
{
    [Fact]
    public void Real_clock_with_a_gain_moves_slots_earlier_in_real_time()
    {
        var h = new SchedulingHarness("2024-01-08 08:00");
        var flow = h.AddFlow();
        flow.Clock = new ClockAttribute(Gain: TimeSpan.FromHours(1));
        flow.AddTask("t").AddTime("10:00");
        h.Begin();
        Assert.Equal(SchedulingHarness.Instant("2024-01-08 09:00"), h.Pass().NextChange);
        Assert.Equal("09:00", flow.Calendar.TimeText);
    }

    [Fact]
    public void Start_date_sets_the_flow_date_and_date_dependencies_follow_it()
    {
        var h = new SchedulingHarness("2024-01-08 08:00");
        var flow = h.AddFlow();
        flow.Clock = new ClockAttribute(StartDate: new DateOnly(2020, 2, 29));
        var t = flow.AddTask("t");
        t.AddDate(DateAttribute.Parse("29.2.2020"));
        h.Begin();
        Assert.Equal(["/f/t"], h.Runnable());
        Assert.Equal("2020-02-29", flow.FindParameterValue("DATE"));
        Assert.Equal("20200229", flow.FindParameterValue("ECF_DATE"));
    }

    [Fact]
    public void Hybrid_clock_keeps_its_date_while_the_time_runs_past_midnight()
    {
        var h = new SchedulingHarness("2024-01-08 23:00");
        var flow = h.AddFlow();
        flow.Clock = new ClockAttribute(Hybrid: true);
        var t = flow.AddTask("t");
        t.AddDay(DayAttribute.Parse("monday"));
        t.AddTime("01:00");
        h.Begin();
        h.At("2024-01-09 01:00");
        h.Scheduler.UpdateCalendars(h.Now);
        Assert.Equal("2024-01-08", flow.Calendar.DateText);
        Assert.Equal("01:00", flow.Calendar.TimeText);
        Assert.Equal(["/f/t"], h.Runnable());
    }

    [Fact]
    public void Hybrid_clock_on_another_day_never_frees_a_day_dependency()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var flow = h.AddFlow();
        flow.Clock = new ClockAttribute(Hybrid: true);
        var t = flow.AddTask("t");
        t.AddDay(DayAttribute.Parse("tuesday"));
        h.Begin();
        var pass = h.Pass();
        Assert.Empty(pass.Submittable);
        Assert.Null(pass.NextChange);
        Assert.Equal(["waiting for day tuesday (the hybrid clock's date 2024-01-08 is a Monday)"], h.Why(t));
    }

    [Fact]
    public void Update_calendars_moves_only_begun_flows()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var begun = h.AddFlow("a");
        var idle = h.AddFlow("b");
        h.Begin("a");
        h.At("2024-01-08 09:42");
        h.Scheduler.UpdateCalendars(h.Now);
        Assert.Equal("09:42", begun.Calendar.TimeText);
        Assert.Equal(TimeSpan.FromMinutes(42), begun.Calendar.Duration);
        Assert.Null(idle.Calendar.FlowTime);
    }

    [Fact]
    public void Local_time_in_a_daylight_saving_gap_maps_to_the_end_of_the_gap()
    {
        var zone = Zone();
        // 2024-03-31 02:00 local does not exist: clocks jump to 03:00 (+02:00), i.e. 01:00 UTC.
        var instant = FlowClock.LocalToInstant(new DateTime(2024, 3, 31, 2, 30, 0), zone);
        Assert.Equal(new DateTimeOffset(2024, 3, 31, 1, 0, 0, TimeSpan.Zero), instant.ToUniversalTime());
    }

    [Fact]
    public void Ambiguous_local_time_maps_to_its_first_occurrence()
    {
        var zone = Zone();
        var instant = FlowClock.LocalToInstant(new DateTime(2024, 10, 27, 2, 30, 0), zone);
        Assert.Equal(new DateTimeOffset(2024, 10, 27, 0, 30, 0, TimeSpan.Zero), instant.ToUniversalTime());
    }

    [Fact]
    public void Time_inside_a_daylight_saving_gap_fires_when_the_gap_ends()
    {
        var zone = Zone();
        var h = new SchedulingHarness("2024-03-31 01:00", zone);
        h.AddFlow().AddTask("t").AddTime("02:30");
        h.Begin();
        var pass = h.Pass();
        Assert.Equal(new DateTimeOffset(2024, 3, 31, 1, 0, 0, TimeSpan.Zero), pass.NextChange!.Value.ToUniversalTime());
        h.Clock.Set(pass.NextChange.Value);
        Assert.Equal(["/f/t"], h.Runnable());
    }

    /// <summary>A central-European zone: +01:00, +02:00 from the last Sunday of March to the last Sunday of October.</summary>
    private static TimeZoneInfo Zone()
    {
        var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
            DateTime.MinValue.Date,
            DateTime.MaxValue.Date,
            TimeSpan.FromHours(1),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 5, DayOfWeek.Sunday),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 5, DayOfWeek.Sunday));
        return TimeZoneInfo.CreateCustomTimeZone("Test/CET", TimeSpan.FromHours(1), "Test CET", "CET", "CEST", [rule]);
    }
}
