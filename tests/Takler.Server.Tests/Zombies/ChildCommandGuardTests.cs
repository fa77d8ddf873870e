using Takler.Core;
using Takler.Core.Nodes;
using Takler.Server.Zombies;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Tests.Zombies;

public class ChildCommandGuardTests
{
    private readonly Bunch _bunch = new();
    private readonly Operations _ops;
    private readonly TaskNode _task;
    private readonly ZombieList _zombies = new();

    public ChildCommandGuardTests()
    {
        _ops = new Operations(_bunch, TimeProvider.System);
        _task = _bunch.AddFlow(new Flow("f")).AddTask("t");
        _ops.Begin("f");
        _ops.Submit(_task, "secret");
    }

    private ChildCommandGuard Guard(bool passwordless = false) => new(_zombies, TimeProvider.System, passwordless);

    [Fact]
    public void The_current_jobs_password_and_try_pass()
    {
        Assert.True(Guard().Check(_task, "init", "secret", 1, "100"));
        Assert.Empty(_zombies.All);
    }

    [Fact]
    public void A_wrong_password_is_refused_and_listed_under_the_default_policy()
    {
        var error = Assert.Throws<TaklerException>(() => Guard().Check(_task, "complete", "old", 1, null));
        Assert.Equal(TaklerErrorCode.Zombie, error.Code);
        var zombie = Assert.Single(_zombies.All);
        Assert.Equal("/f/t", zombie.TaskPath);
        Assert.Equal(ZombiePolicy.Fail, zombie.Action);
        Assert.Contains("password", zombie.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void No_password_is_a_zombie_unless_passwordless_children_are_allowed()
    {
        Assert.Throws<TaklerException>(() => Guard().Check(_task, "init", null, null, null));
        Assert.True(Guard(passwordless: true).Check(_task, "init", null, null, null));
    }

    [Fact]
    public void A_stale_try_number_is_a_zombie()
    {
        Assert.Throws<TaklerException>(() => Guard().Check(_task, "init", "secret", 3, null));
        Assert.Contains("try number 3", Assert.Single(_zombies.All).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fob_answers_without_applying_and_counts_calls()
    {
        _task.AddParameter("TAKLER_ZOMBIE_POLICY", "fob");
        Assert.False(Guard().Check(_task, "meter", "old", 1, null));
        Assert.False(Guard().Check(_task, "meter", "old", 1, null));
        var zombie = Assert.Single(_zombies.All);
        Assert.Equal(ZombiePolicy.Fob, zombie.Action);
        Assert.Equal(2, zombie.Calls);
    }

    [Fact]
    public void Adopt_makes_the_calling_job_the_tasks_job()
    {
        _task.AddParameter("TAKLER_ZOMBIE_POLICY", "adopt");
        Assert.True(Guard().Check(_task, "init", "other", 1, "77"));
        Assert.Equal("other", _task.Password);
        Assert.Equal("77", _task.TaskId);
        Assert.True(Guard().Check(_task, "complete", "other", 1, null));
    }

    [Fact]
    public void A_command_for_a_task_that_is_not_running_is_a_zombie()
    {
        _ops.Init("/f/t", "1");
        _ops.CompleteTask("/f/t");
        Assert.Throws<TaklerException>(() => Guard().Check(_task, "meter", "secret", 1, null));
        Assert.Contains("meter for a task that is complete", Assert.Single(_zombies.All).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_jobs_own_complete_sent_again_after_it_was_applied_is_answered_without_applying_or_a_zombie()
    {
        _ops.Init("/f/t", "1");
        _ops.CompleteTask("/f/t");

        Assert.False(Guard().Check(_task, "complete", "secret", 1, null));
        Assert.False(Guard().Check(_task, "complete", "secret", null, null));
        Assert.Empty(_zombies.All);

        // Another job's, or another try's, is still a zombie; so is an abort of a task that completed.
        Assert.Throws<TaklerException>(() => Guard().Check(_task, "complete", "old", 1, null));
        Assert.Throws<TaklerException>(() => Guard().Check(_task, "complete", "secret", 2, null));
        Assert.Throws<TaklerException>(() => Guard().Check(_task, "abort", "secret", 1, null));
        Assert.Throws<TaklerException>(() => Guard(passwordless: true).Check(_task, "complete", null, null, null));
    }

    [Fact]
    public void The_jobs_own_abort_sent_again_after_it_was_applied_is_answered_without_applying()
    {
        _ops.Init("/f/t", "1");
        _ops.Abort("/f/t", "failed");

        Assert.False(Guard().Check(_task, "abort", "secret", 1, null));
        Assert.Empty(_zombies.All);
    }
}
