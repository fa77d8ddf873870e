using Takler.Core.Nodes;

namespace Takler.Core.Tests.Scheduling;

public class RetryTests
{
    [Fact]
    public void Aborted_task_is_not_rerun_by_default()
    {
        var h = new SchedulingHarness();
        var t = h.AddFlow().AddTask("t");
        h.Begin();
        h.StartAll();
        h.Abort(t);
        Assert.Empty(h.Runnable());
        Assert.Equal(["aborted: no tries left (try 1 of 1)"], h.Why(t));
    }

    [Fact]
    public void Aborted_task_is_retried_with_the_next_try_number_until_its_tries_are_used()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        flow.AddParameter("TAKLER_TRIES", 3);
        var t = flow.AddTask("t");
        h.Begin();
        var tries = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var pass = h.Pass();
            foreach (var task in pass.Submittable)
            {
                Assert.Equal(task.TryNo > 0, pass.Retries.Contains(task));
                h.Start(task);
                tries.Add(task.TryNo);
                h.Abort(task);
            }
        }

        Assert.Equal([1, 2, 3], tries);
        Assert.Equal(NodeStatus.Aborted, t.Status);
        Assert.Equal(["aborted: no tries left (try 3 of 3)"], h.Why(t));
    }

    [Fact]
    public void Retry_waits_for_the_delay_and_next_change_says_when()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var t = h.AddFlow().AddTask("t");
        t.AddParameter("TAKLER_TRIES", 2);
        t.AddParameter("TAKLER_RETRY_DELAY", 90);
        h.Begin();
        h.StartAll();
        h.Abort(t);
        var pass = h.Pass();
        Assert.Empty(pass.Submittable);
        Assert.Equal(SchedulingHarness.Instant("2024-01-08 09:01:30"), pass.NextChange);
        Assert.Equal(["aborted: try 2 of 2 is due at 2024-01-08 09:01:30 UTC"], h.Why(t));
        h.At("2024-01-08 09:01:30");
        pass = h.Pass();
        Assert.Equal(["/f/t"], pass.Retries.Select(r => r.Path));
        Assert.Equal(["/f/t"], pass.Submittable.Select(r => r.Path));
    }

    [Fact]
    public void Operator_abort_is_never_retried()
    {
        var h = new SchedulingHarness();
        var t = h.AddFlow().AddTask("t");
        t.AddParameter("TAKLER_TRIES", 5);
        h.Begin();
        h.StartAll();
        h.Ops.AbortByOperator(t, "killed");
        Assert.Empty(h.Runnable());
        Assert.Equal(["aborted by operator: killed (no automatic retry)"], h.Why(t));
    }

    [Fact]
    public void Ecflow_tries_variable_is_honoured_and_takler_tries_wins()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        flow.AddParameter("ECF_TRIES", 2);
        var ecf = flow.AddTask("ecf");
        var both = flow.AddTask("both");
        both.AddParameter("TAKLER_TRIES", 1);
        h.Begin();
        h.StartAll();
        h.Abort(ecf);
        h.Abort(both);
        Assert.Equal(["/f/ecf"], h.Runnable());
    }

    [Fact]
    public void Retry_still_respects_limits()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        flow.AddParameter("TAKLER_TRIES", 2);
        flow.AddLimit("lim", 1);
        flow.AddInLimit("lim");
        var a = flow.AddTask("a");
        flow.AddTask("b");
        h.Begin();
        Assert.Equal(["/f/a"], h.StartAll());
        h.Abort(a);
        Assert.Equal(["/f/a"], h.Runnable());
    }
}
