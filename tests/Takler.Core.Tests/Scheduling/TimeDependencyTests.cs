using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Scheduling;

// 2024-01-08 is a Monday. Times are UTC, which is also the harness's local zone.
public class TimeDependencyTests
{
    private static readonly TimeSpan OneMinute = TimeSpan.FromMinutes(1);

    private static TimeAttribute Today(string text) => new(TimeSeries.Parse(text.Split(' ')), isToday: true);

    private static CronAttribute Cron(string text, int[]? w = null, int[]? d = null, bool last = false, int[]? m = null) =>
        new(TimeSeries.Parse(text.Split(' ')), w, d, last, m);

    private static (SchedulingHarness H, Task T) One(string start, Action<Task> setup)
    {
        var h = new SchedulingHarness(start);
        var task = h.AddFlow().AddTask("t");
        setup(task);
        h.Begin();
        return (h, task);
    }

    [Fact]
    public void Time_waits_for_its_slot_and_next_change_is_that_slot()
    {
        var (h, t) = One("2024-01-08 09:00", t => t.AddTime("10:00"));
        var pass = h.Pass();
        Assert.Empty(pass.Submittable);
        Assert.Equal(SchedulingHarness.Instant("2024-01-08 10:00"), pass.NextChange);
        Assert.Equal(["waiting for time 10:00 (next slot today at 10:00)"], h.Why(t));

        h.At("2024-01-08 10:00");
        Assert.Equal(["/f/t"], h.Runnable());
        Assert.Empty(h.Why(t));
    }

    [Fact]
    public void Time_begun_after_its_slot_waits_until_the_next_day()
    {
        var (h, t) = One("2024-01-08 10:30", t => t.AddTime("10:00"));
        var pass = h.Pass();
        Assert.Empty(pass.Submittable);
        Assert.Equal(SchedulingHarness.Instant("2024-01-09 10:00"), pass.NextChange);
        Assert.Equal(["waiting for time 10:00 (next slot tomorrow at 10:00)"], h.Why(t));
    }

    [Fact]
    public void Time_begun_within_the_slot_minute_is_free()
    {
        var (h, _) = One("2024-01-08 10:00:40", t => t.AddTime("10:00"));
        Assert.Equal(["/f/t"], h.Runnable());
    }

    [Fact]
    public void Single_time_runs_once_and_stays_complete()
    {
        var (h, t) = One("2024-01-08 09:00", t => t.AddTime("10:00"));
        var starts = h.Simulate("2024-01-10 23:00", TimeSpan.FromMinutes(5));
        Assert.Equal(["/f/t@2024-01-08 10:00"], starts);
        Assert.Equal(NodeStatus.Complete, t.Status);
    }

    [Fact]
    public void Time_series_fires_each_slot_once()
    {
        var (h, t) = One("2024-01-08 09:00", t => t.AddTime("10:00 13:00 01:00"));
        var starts = h.Simulate("2024-01-09 23:00", TimeSpan.FromMinutes(10));
        Assert.Equal(["/f/t@2024-01-08 10:00", "/f/t@2024-01-08 11:00", "/f/t@2024-01-08 12:00", "/f/t@2024-01-08 13:00"], starts);
        Assert.Equal(NodeStatus.Complete, t.Status);
    }

    [Fact]
    public void Time_series_job_shorter_than_a_minute_does_not_rerun_the_same_slot()
    {
        var (h, _) = One("2024-01-08 09:00", t => t.AddTime("10:00 10:03 00:01"));
        var starts = h.Simulate("2024-01-08 23:00", TimeSpan.FromSeconds(10));
        Assert.Equal(["/f/t@2024-01-08 10:00", "/f/t@2024-01-08 10:01", "/f/t@2024-01-08 10:02", "/f/t@2024-01-08 10:03"], starts);
    }

    [Fact]
    public void Time_series_slots_passing_while_running_are_skipped_and_reported()
    {
        var (h, t) = One("2024-01-08 09:00", t => t.AddTime("10:00 14:00 01:00"));
        var starts = h.Simulate("2024-01-08 11:00", TimeSpan.FromMinutes(90));
        Assert.Equal(["/f/t@2024-01-08 10:00"], starts);

        h.At("2024-01-08 11:30");
        h.Complete(t);
        Assert.Equal(NodeStatus.Queued, t.Status);
        Assert.Equal(["waiting for time 10:00 14:00 01:00 (next slot today at 12:00; 1 slot missed while it was held or running)"], h.Why(t));
        Assert.Equal(SchedulingHarness.Instant("2024-01-08 12:00"), h.Pass().NextChange);
    }

    [Fact]
    public void Slot_passing_while_the_trigger_holds_runs_once_when_the_trigger_frees()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var flow = h.AddFlow();
        var gate = flow.AddTask("gate");
        gate.DefaultStatus = DefaultStatus.Suspended;
        var t = flow.AddTask("t");
        t.AddTime("10:00 14:00 01:00");
        t.AddTrigger("gate == complete");
        h.Begin();

        h.At("2024-01-08 10:00");
        Assert.Empty(h.Runnable());
        Assert.Equal(["trigger false: gate == complete (gate is queued)"], h.Why(t));

        h.At("2024-01-08 12:30");
        h.Ops.Force(Takler.Core.ForceTarget.To(NodeStatus.Complete), false, ["/f/gate"]);
        Assert.Equal(["/f/t"], h.StartAll());
        h.At("2024-01-08 12:40");
        h.Complete(t);
        Assert.Empty(h.Runnable());
        Assert.Contains("next slot today at 13:00; 2 slots missed", h.Why(t)[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Series_after_its_last_slot_waits_until_the_next_day_across_a_month_boundary()
    {
        var (h, t) = One("2024-01-31 21:00", t => t.AddTime("10:00 20:00 01:00"));
        var pass = h.Pass();
        Assert.Empty(pass.Submittable);
        Assert.Equal(SchedulingHarness.Instant("2024-02-01 10:00"), pass.NextChange);
        Assert.Equal(["waiting for time 10:00 20:00 01:00 (next slot tomorrow at 10:00)"], h.Why(t));
    }

    [Fact]
    public void Time_at_midnight_fires_at_the_start_of_the_next_day()
    {
        var (h, _) = One("2024-12-31 23:59", t => t.AddTime("00:00"));
        var starts = h.Simulate("2025-01-02 12:00", TimeSpan.FromMinutes(1));
        Assert.Equal(["/f/t@2025-01-01 00:00"], starts);
    }

    [Fact]
    public void Today_in_the_past_is_free_the_same_day()
    {
        var (h, t) = One("2024-01-08 11:00", t => t.AddTime(Today("10:00")));
        Assert.Equal(["/f/t"], h.Runnable());
        Assert.Empty(h.Why(t));
    }

    [Fact]
    public void Today_in_the_future_waits_for_its_time()
    {
        var (h, _) = One("2024-01-08 09:00", t => t.AddTime(Today("10:00")));
        var pass = h.Pass();
        Assert.Empty(pass.Submittable);
        Assert.Equal(SchedulingHarness.Instant("2024-01-08 10:00"), pass.NextChange);
    }

    [Fact]
    public void Today_series_begun_midway_runs_the_remaining_slots_and_does_not_wrap()
    {
        var (h, _) = One("2024-01-08 12:30", t => t.AddTime(Today("10:00 14:00 01:00")));
        var starts = h.Simulate("2024-01-10 23:00", TimeSpan.FromMinutes(5));
        Assert.Equal(["/f/t@2024-01-08 13:00", "/f/t@2024-01-08 14:00"], starts);
    }

    [Fact]
    public void Today_series_begun_after_its_last_slot_runs_once()
    {
        var (h, _) = One("2024-01-08 21:00", t => t.AddTime(Today("10:00 14:00 01:00")));
        var starts = h.Simulate("2024-01-10 23:00", TimeSpan.FromMinutes(5));
        Assert.Equal(["/f/t@2024-01-08 21:00"], starts);
    }

    [Fact]
    public void Relative_time_counts_from_begin()
    {
        var (h, t) = One("2024-01-08 09:07", t => t.AddTime("+00:30"));
        var pass = h.Pass();
        Assert.Equal(SchedulingHarness.Instant("2024-01-08 09:37"), pass.NextChange);
        Assert.Equal(["waiting for time +00:30 (next slot today at 09:37)"], h.Why(t));
    }

    [Fact]
    public void Relative_time_counts_again_from_a_requeue()
    {
        var (h, t) = One("2024-01-08 09:00", t => t.AddTime("+00:30"));
        Assert.Equal(["/f/t@2024-01-08 09:30"], h.Simulate("2024-01-08 12:00", OneMinute));
        h.At("2024-01-08 12:00");
        h.Ops.Requeue(["/f/t"]);
        Assert.Equal(SchedulingHarness.Instant("2024-01-08 12:30"), h.Pass().NextChange);
        Assert.Equal(t.RequeuedAt, h.Now);
    }

    [Fact]
    public void Relative_series_runs_each_slot_from_begin_then_stays_complete()
    {
        var (h, t) = One("2024-01-08 09:00", t => t.AddTime("+00:10 00:30 00:10"));
        var starts = h.Simulate("2024-01-08 23:00", OneMinute);
        Assert.Equal(["/f/t@2024-01-08 09:10", "/f/t@2024-01-08 09:20", "/f/t@2024-01-08 09:30"], starts);
        Assert.Equal(NodeStatus.Complete, t.Status);
    }

    [Fact]
    public void Date_with_wildcards_waits_for_the_first_of_the_next_month()
    {
        var (h, t) = One("2024-01-15 12:00", t => t.AddDate(DateAttribute.Parse("1.*.*")));
        var pass = h.Pass();
        Assert.Empty(pass.Submittable);
        Assert.Equal(SchedulingHarness.Instant("2024-02-01 00:00"), pass.NextChange);
        Assert.Equal(["waiting for date 1.*.* (on Thursday 2024-02-01)"], h.Why(t));
        Assert.Equal(["/f/t@2024-02-01 00:00"], h.Simulate("2024-03-05 00:00", OneMinute));
    }

    [Fact]
    public void Date_in_the_past_holds_for_ever()
    {
        var (h, t) = One("2024-01-15 12:00", t => t.AddDate(DateAttribute.Parse("1.1.2020")));
        var pass = h.Pass();
        Assert.Empty(pass.Submittable);
        Assert.Null(pass.NextChange);
        Assert.Equal(["waiting for date 1.1.2020 (no such date to come)"], h.Why(t));
    }

    [Fact]
    public void Day_holds_until_that_day_and_is_free_all_of_it()
    {
        var (h, t) = One("2024-01-08 12:00", t => t.AddDay(DayAttribute.Parse("wednesday")));
        Assert.Equal(["waiting for day wednesday (on Wednesday 2024-01-10)"], h.Why(t));
        Assert.Equal(["/f/t@2024-01-10 00:00"], h.Simulate("2024-01-20 00:00", OneMinute));
    }

    [Fact]
    public void Dates_and_days_are_or_ed_among_themselves()
    {
        var (h, _) = One("2024-01-08 12:00", t =>
        {
            t.AddDay(DayAttribute.Parse("friday"));
            t.AddDate(DateAttribute.Parse("10.1.2024"));
        });
        Assert.Equal(["/f/t@2024-01-10 00:00"], h.Simulate("2024-01-20 00:00", OneMinute));
    }

    [Fact]
    public void Times_are_or_ed_and_the_node_runs_at_each()
    {
        var (h, t) = One("2024-01-08 09:00", t =>
        {
            t.AddTime("15:00");
            t.AddTime("19:00");
        });
        var starts = h.Simulate("2024-01-10 23:00", TimeSpan.FromMinutes(5));
        Assert.Equal(["/f/t@2024-01-08 15:00", "/f/t@2024-01-08 19:00"], starts);
        Assert.Equal(NodeStatus.Complete, t.Status);
    }

    [Fact]
    public void Day_and_time_are_and_ed()
    {
        var (h, t) = One("2024-01-08 09:00", t =>
        {
            t.AddDay(DayAttribute.Parse("tuesday"));
            t.AddTime("10:00");
        });
        Assert.Equal(["waiting for day tuesday (tomorrow)", "waiting for time 10:00 (next slot tomorrow at 10:00)"], h.Why(t));
        Assert.Equal(["/f/t@2024-01-09 10:00"], h.Simulate("2024-01-20 00:00", OneMinute));
    }

    [Fact]
    public void Day_on_a_family_guards_the_time_of_a_task_below()
    {
        // ecFlow 5: the family's day must be free before the task's time counts (no run at Tuesday 00:00).
        var h = new SchedulingHarness("2024-01-08 09:00");
        var fam = h.AddFlow().AddFamily("fam");
        fam.AddDay(DayAttribute.Parse("tuesday"));
        var t = fam.AddTask("t");
        t.AddTime("10:00");
        h.Begin();
        Assert.Equal(["/f/fam: waiting for day tuesday (tomorrow)", "waiting for time 10:00 (next slot tomorrow at 10:00)"], h.Why(t));
        Assert.Equal(["/f/fam/t@2024-01-09 10:00"], h.Simulate("2024-01-20 00:00", OneMinute));
    }

    [Fact]
    public void Family_time_holds_every_task_below()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var fam = h.AddFlow().AddFamily("fam");
        fam.AddTime("10:00");
        fam.AddTask("a");
        fam.AddTask("b");
        h.Begin();
        Assert.Empty(h.Runnable());
        h.At("2024-01-08 10:00");
        Assert.Equal(["/f/fam/a", "/f/fam/b"], h.Runnable());
    }

    [Fact]
    public void Family_time_series_requeues_the_family_for_each_slot()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var fam = h.AddFlow().AddFamily("fam");
        fam.AddTime("10:00 12:00 01:00");
        var b = fam.AddTask("b");
        fam.AddTask("a");
        b.AddTrigger("a == complete");
        h.Begin();
        var starts = h.Simulate("2024-01-09 23:00", TimeSpan.FromMinutes(5));
        Assert.Equal(
            ["/f/fam/a@2024-01-08 10:00", "/f/fam/b@2024-01-08 10:05", "/f/fam/a@2024-01-08 11:00", "/f/fam/b@2024-01-08 11:05", "/f/fam/a@2024-01-08 12:00", "/f/fam/b@2024-01-08 12:05"],
            starts);
        Assert.Equal(NodeStatus.Complete, fam.Status);
    }

    [Fact]
    public void Cron_requeues_after_each_run_and_never_completes()
    {
        var (h, t) = One("2024-01-08 09:00", t => t.AddCron(Cron("10:00")));
        var starts = h.Simulate("2024-01-10 23:00", TimeSpan.FromMinutes(5));
        Assert.Equal(["/f/t@2024-01-08 10:00", "/f/t@2024-01-09 10:00", "/f/t@2024-01-10 10:00"], starts);
        Assert.Equal(NodeStatus.Queued, t.Status);
        Assert.Equal(["waiting for cron 10:00 (next run tomorrow at 10:00)"], h.Why(t));
    }

    [Fact]
    public void Cron_with_week_days_runs_only_on_those_days()
    {
        var (h, _) = One("2024-01-08 09:00", t => t.AddCron(Cron("11:00", w: [0, 3])));
        var starts = h.Simulate("2024-01-21 23:00", OneMinute);
        Assert.Equal(["/f/t@2024-01-10 11:00", "/f/t@2024-01-14 11:00", "/f/t@2024-01-17 11:00", "/f/t@2024-01-21 11:00"], starts);
    }

    [Fact]
    public void Cron_with_days_of_month_and_last_day_runs_on_those_dates()
    {
        var (h, _) = One("2024-01-20 09:00", t => t.AddCron(Cron("23:00", d: [1], last: true)));
        var starts = h.Simulate("2024-03-02 00:00", OneMinute);
        Assert.Equal(["/f/t@2024-01-31 23:00", "/f/t@2024-02-01 23:00", "/f/t@2024-02-29 23:00", "/f/t@2024-03-01 23:00"], starts);
    }

    [Fact]
    public void Cron_with_months_skips_other_months()
    {
        var (h, _) = One("2024-01-20 09:00", t => t.AddCron(Cron("06:00", d: [15], m: [3, 5])));
        var starts = h.Simulate("2024-12-31 00:00", OneMinute);
        Assert.Equal(["/f/t@2024-03-15 06:00", "/f/t@2024-05-15 06:00"], starts);
    }

    [Fact]
    public void Cron_series_runs_each_slot_every_day()
    {
        var (h, _) = One("2024-01-08 11:30", t => t.AddCron(Cron("10:00 12:00 01:00")));
        var starts = h.Simulate("2024-01-09 23:00", TimeSpan.FromMinutes(5));
        Assert.Equal(["/f/t@2024-01-08 12:00", "/f/t@2024-01-09 10:00", "/f/t@2024-01-09 11:00", "/f/t@2024-01-09 12:00"], starts);
    }

    [Fact]
    public void Forcing_a_cron_task_complete_skips_to_its_next_run()
    {
        var (h, t) = One("2024-01-08 09:00", t => t.AddCron(Cron("10:00 12:00 01:00")));
        h.At("2024-01-08 10:00");
        h.Pass();
        h.Ops.Force(Takler.Core.ForceTarget.To(NodeStatus.Complete), false, ["/f/t"]);
        Assert.Equal(NodeStatus.Queued, t.Status);
        Assert.Equal(["waiting for cron 10:00 12:00 01:00 (next run today at 11:00)"], h.Why(t));
    }

    [Fact]
    public void Free_dep_of_time_frees_the_node_until_requeue()
    {
        var (h, t) = One("2024-01-08 09:00", t => t.AddTime("10:00"));
        h.Ops.FreeDep(FreeDepKind.Time, ["/f/t"]);
        Assert.Equal(["/f/t"], h.Runnable());
        h.Ops.Requeue(["/f/t"]);
        Assert.Empty(h.Runnable());
    }

    [Fact]
    public void Next_change_is_null_when_nothing_waits_on_time()
    {
        var (h, _) = One("2024-01-08 09:00", _ => { });
        var pass = h.Pass();
        Assert.Equal(["/f/t"], pass.Submittable.Select(t => t.Path));
        Assert.Null(pass.NextChange);
    }
}
