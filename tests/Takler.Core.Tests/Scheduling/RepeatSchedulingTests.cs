using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Scheduling;

public class RepeatSchedulingTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Fact]
    public void Repeat_advances_and_requeues_the_family_until_its_last_value_then_stays_complete()
    {
        var h = new SchedulingHarness();
        var fam = h.AddFlow().AddFamily("fam");
        fam.AddRepeat(new RepeatInteger("N", 1, 3));
        var a = fam.AddTask("a");
        var b = fam.AddTask("b");
        b.AddTrigger("a == complete");
        h.Begin();

        var values = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            foreach (var t in h.Pass().Submittable)
            {
                h.Start(t);
                values.Add($"{t.Name}:{t.FindParameterValue("N")}");
                h.Complete(t);
            }
        }

        Assert.Equal(["a:1", "b:1", "a:2", "b:2", "a:3", "b:3"], values);
        Assert.Equal(NodeStatus.Complete, fam.Status);
        Assert.True(fam.Repeat!.IsExhausted);
        Assert.Equal("3", fam.Repeat.ValueText);
    }

    [Fact]
    public void Requeue_by_a_repeat_resets_events_and_meters_below()
    {
        var h = new SchedulingHarness();
        var fam = h.AddFlow().AddFamily("fam");
        fam.AddRepeat(new RepeatString("S", ["x", "y"]));
        var t = fam.AddTask("t");
        t.AddEvent("done");
        t.AddMeter("step", 0, 10);
        h.Begin();
        h.StartAll();
        h.Ops.SetEvent(t.Path, "done");
        h.Ops.SetMeter(t.Path, "step", 7);
        h.Complete(t);
        Assert.Equal("y", fam.Repeat!.ValueText);
        Assert.Equal(NodeStatus.Queued, t.Status);
        Assert.False(t.FindEvent("done")!.Value);
        Assert.Equal(0, t.FindMeter("step")!.Value);
    }

    [Fact]
    public void Nested_repeats_reset_the_inner_one_each_outer_step()
    {
        var h = new SchedulingHarness();
        var outer = h.AddFlow().AddFamily("outer");
        outer.AddRepeat(new RepeatInteger("I", 1, 2));
        var inner = outer.AddFamily("inner");
        inner.AddRepeat(new RepeatInteger("J", 1, 2));
        inner.AddTask("t");
        h.Begin();
        var seen = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            foreach (var t in h.Pass().Submittable)
            {
                seen.Add($"{t.FindParameterValue("I")}.{t.FindParameterValue("J")}");
                h.Start(t);
                h.Complete(t);
            }
        }

        Assert.Equal(["1.1", "1.2", "2.1", "2.2"], seen);
    }

    [Fact]
    public void Repeat_date_steps_through_a_month_end()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        flow.AddRepeat(new RepeatDate("YMD", 20240130, 20240202));
        flow.AddTask("t");
        h.Begin();
        var seen = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            foreach (var t in h.Pass().Submittable)
            {
                seen.Add(t.FindParameterValue("YMD")!);
                h.Start(t);
                h.Complete(t);
            }
        }

        Assert.Equal(["20240130", "20240131", "20240201", "20240202"], seen);
        Assert.Equal(NodeStatus.Complete, flow.Status);
    }

    [Fact]
    public void Aborted_task_keeps_the_repeat_from_advancing()
    {
        var h = new SchedulingHarness();
        var fam = h.AddFlow().AddFamily("fam");
        fam.AddRepeat(new RepeatInteger("N", 1, 3));
        var t = fam.AddTask("t");
        h.Begin();
        h.StartAll();
        h.Abort(t);
        Assert.Equal("1", fam.Repeat!.ValueText);
        Assert.Empty(h.Runnable());
    }

    [Fact]
    public void Time_series_on_a_repeated_family_runs_all_slots_before_the_repeat_advances()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var fam = h.AddFlow().AddFamily("fam");
        fam.AddRepeat(new RepeatDay());
        fam.AddTime("10:00 11:00 01:00");
        fam.AddTask("t");
        h.Begin();
        var starts = h.Simulate("2024-01-09 23:00", FiveMinutes);
        Assert.Equal(["/f/fam/t@2024-01-08 10:00", "/f/fam/t@2024-01-08 11:00", "/f/fam/t@2024-01-09 10:00", "/f/fam/t@2024-01-09 11:00"], starts);
    }

    [Fact]
    public void Relative_time_in_a_repeated_family_counts_from_each_requeue()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var fam = h.AddFlow().AddFamily("fam");
        fam.AddRepeat(new RepeatInteger("N", 1, 3));
        fam.AddTask("t").AddTime("+00:20");
        h.Begin();
        var starts = h.Simulate("2024-01-08 23:00", FiveMinutes);
        Assert.Equal(["/f/fam/t@2024-01-08 09:20", "/f/fam/t@2024-01-08 09:45", "/f/fam/t@2024-01-08 10:10"], starts);
    }

    [Fact]
    public void Complete_expression_skips_repeat_values()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        var fam = flow.AddFamily("fam");
        fam.AddRepeat(new RepeatInteger("N", 1, 3));
        fam.AddComplete("/f/switch == complete");
        fam.AddTask("t");
        var sw = flow.AddTask("switch");
        sw.AddTrigger("/f/switch == aborted");
        h.Begin();
        h.Ops.Force(ForceTarget.To(NodeStatus.Complete), false, ["/f/switch"]);

        // Each pass completes the family once; the repeat requeues it with the next value until the last one.
        var completed = 0;
        for (var i = 0; i < 5 && fam.Status != NodeStatus.Complete; i++)
        {
            completed += h.Pass().CompletedByExpression.Count;
        }

        Assert.Equal(3, completed);
        Assert.True(fam.Repeat!.IsExhausted);
        Assert.Equal(0, ((Task)fam.Children[0]).TryNo); // never ran
    }
}
