using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Nodes;

public class NodeSideStateTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_task_has_no_job_state_and_no_rare_attributes()
    {
        var task = new Task("t");

        Assert.Equal(0, task.TryNo);
        Assert.Null(task.TaskId);
        Assert.Null(task.Password);
        Assert.Null(task.AbortedReason);
        Assert.False(task.AbortedByOperator);
        Assert.Null(task.SubmittedAt);
        Assert.Null(task.RequeuedAt);
        Assert.Null(task.Complete);
        Assert.Null(task.Repeat);
        Assert.Null(task.Late);
        Assert.Empty(task.Limits);
        Assert.Empty(task.Times);
        Assert.False(task.HasTimeDependencies);
    }

    [Fact]
    public void Requeue_clears_the_job_state_but_keeps_when_the_task_last_finished()
    {
        var task = new Task("t");
        task.MarkSubmitted("pw", Noon);
        task.TaskId = "rid";
        task.AbortedReason = "killed";
        task.AbortedByOperator = true;
        task.FinishedAt = Noon.AddMinutes(1);

        task.ResetAttributes(resetRepeat: true);

        Assert.Equal(0, task.TryNo);
        Assert.Null(task.TaskId);
        Assert.Null(task.Password);
        Assert.Null(task.AbortedReason);
        Assert.False(task.AbortedByOperator);
        Assert.Null(task.SubmittedAt);
        Assert.Equal(Noon.AddMinutes(1), task.FinishedAt);
    }

    [Fact]
    public void Rare_attributes_can_be_set_cleared_and_set_again()
    {
        var family = new Family("f");
        family.RequeuedAt = Noon;
        family.Late = null;
        family.AddComplete("a == complete");
        family.AddRepeat(new RepeatInteger("R", 1, 3, 1));
        family.AddLimit("l", 2);
        family.AddInLimit("l");
        family.AddTime("10:00");

        Assert.Equal(Noon, family.RequeuedAt);
        Assert.NotNull(family.Complete);
        Assert.Equal("R", family.Repeat!.Name);
        Assert.NotNull(family.FindLimit("l"));
        Assert.Single(family.InLimits);
        Assert.True(family.HasTimeDependencies);

        family.RemoveComplete();
        family.RemoveRepeat();
        family.RequeuedAt = null;
        Assert.Equal(1, family.RemoveAttributes<TimeAttribute>(_ => true));

        Assert.Null(family.Complete);
        Assert.Null(family.Repeat);
        Assert.Null(family.RequeuedAt);
        Assert.False(family.HasTimeDependencies);
        Assert.Throws<TaklerException>(() => family.AddInLimit("l"));
    }

    [Fact]
    public void RequeuedAt_keeps_its_offset_and_ticks()
    {
        var at = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromMinutes(-210)).AddTicks(1234567);
        var task = new Task("t") { RequeuedAt = at };

        Assert.Equal(at, task.RequeuedAt);
        Assert.Equal(at.Offset, task.RequeuedAt!.Value.Offset);
        Assert.Equal(at.Ticks, task.RequeuedAt.Value.Ticks);
    }

    [Theory]
    [InlineData("done", null)]
    [InlineData("", 0)]
    [InlineData("e", -3)]
    public void An_event_keeps_its_number_or_its_lack_of_one(string name, int? number)
    {
        var e = new Event(name, initialValue: true, number);

        Assert.Equal(number, e.Number);
        Assert.Equal(name.Length > 0 ? name : "0", e.Key);
        Assert.True(e.Value);
    }
}
