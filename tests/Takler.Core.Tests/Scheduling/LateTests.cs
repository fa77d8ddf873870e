using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Tests.Scheduling;

public class LateTests
{
    private static LateAttribute Late(TimeSpan? s = null, TimeSpan? a = null, TimeSpan? c = null, bool relative = false) => new(s, a, c, relative);

    private static TimeSpan T(string hhmm) => TimeSeries.ParseClock(hhmm);

    [Fact]
    public void Task_submitted_too_long_is_flagged_late_at_the_deadline()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var t = h.AddFlow().AddTask("t");
        t.Late = Late(s: T("00:15"));
        h.Begin();
        var pass = h.Pass();
        h.Ops.Submit(t, "pw");
        pass = h.Pass();
        Assert.Equal(SchedulingHarness.Instant("2024-01-08 09:15"), pass.NextChange);
        Assert.False(t.IsLate);

        h.At("2024-01-08 09:15");
        pass = h.Pass();
        Assert.Equal(["/f/t"], pass.LateFlagged.Select(n => n.Path));
        Assert.True(t.IsLate);
        Assert.Equal(["status is submitted", "late: submitted for more than 00:15"], h.Why(t));
        Assert.Contains("|- t [submitted] (late)", Takler.Core.Visitors.PrintVisitor.ToText(t), StringComparison.Ordinal);
    }

    [Fact]
    public void Task_not_active_by_the_time_of_day_is_late_even_while_queued()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var flow = h.AddFlow();
        var t = flow.AddTask("t");
        t.AddTrigger("/f/t == complete");
        t.Late = Late(a: T("10:00"));
        h.Begin();
        Assert.Equal(SchedulingHarness.Instant("2024-01-08 10:00"), h.Pass().NextChange);
        h.At("2024-01-08 10:00");
        Assert.Single(h.Pass().LateFlagged);
        Assert.Contains("late: not active by 10:00", h.Why(t));
    }

    [Fact]
    public void Task_running_longer_than_relative_complete_limit_is_late()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var t = h.AddFlow().AddTask("t");
        t.Late = Late(c: T("01:00"), relative: true);
        h.Begin();
        h.At("2024-01-08 09:10");
        h.StartAll();
        Assert.Equal(SchedulingHarness.Instant("2024-01-08 10:10"), h.Pass().NextChange);
        h.At("2024-01-08 10:10");
        Assert.Single(h.Pass().LateFlagged);
    }

    [Fact]
    public void Task_not_complete_by_absolute_time_is_late()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var t = h.AddFlow().AddTask("t");
        t.Late = Late(c: T("09:30"));
        h.Begin();
        h.StartAll();
        h.At("2024-01-08 09:29");
        Assert.Empty(h.Pass().LateFlagged);
        h.At("2024-01-08 09:30");
        Assert.Single(h.Pass().LateFlagged);
    }

    [Fact]
    public void Late_on_a_family_applies_below_and_a_task_overrides_only_its_own_aspects()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var fam = h.AddFlow().AddFamily("fam");
        fam.Late = Late(s: T("00:10"), a: T("20:00"));
        var inherits = fam.AddTask("inherits");
        var overrides = fam.AddTask("overrides");
        overrides.Late = Late(s: T("00:30"));
        h.Begin();
        h.Pass();
        h.Ops.Submit(inherits, "pw");
        h.Ops.Submit(overrides, "pw");
        h.At("2024-01-08 09:10");
        Assert.Equal(["/f/fam/inherits"], h.Pass().LateFlagged.Select(n => n.Path));
        h.At("2024-01-08 09:30");
        Assert.Equal(["/f/fam/overrides"], h.Pass().LateFlagged.Select(n => n.Path));
    }

    [Fact]
    public void Requeue_clears_the_late_flag()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var t = h.AddFlow().AddTask("t");
        t.Late = Late(a: T("08:00"));
        h.Begin();
        Assert.Single(h.Pass().LateFlagged);
        Assert.True(t.IsLate);
        h.Ops.Requeue(["/f/t"]);
        Assert.False(t.IsLate);
    }

    [Fact]
    public void Completed_task_is_never_flagged()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var t = h.AddFlow().AddTask("t");
        t.Late = Late(c: T("09:30"));
        h.Begin();
        h.StartAll();
        h.Complete(t);
        h.At("2024-01-08 10:00");
        var pass = h.Pass();
        Assert.Empty(pass.LateFlagged);
        Assert.Null(pass.NextChange);
    }
}
