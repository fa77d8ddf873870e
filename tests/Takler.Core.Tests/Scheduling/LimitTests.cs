using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Scheduling;

public class LimitTests
{
    private static (SchedulingHarness H, Flow F, Limit L, Task[] Tasks) Limited(int size, int count, Action<Flow>? setup = null)
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        flow.AddLimit("lim", size);
        var fam = flow.AddFamily("fam");
        fam.AddInLimit("lim");
        var tasks = Enumerable.Range(0, count).Select(i => fam.AddTask($"t{i}")).ToArray();
        setup?.Invoke(flow);
        h.Begin();
        return (h, flow, flow.FindLimit("lim")!, tasks);
    }

    [Fact]
    public void Limit_admits_only_as_many_tasks_as_it_has_tokens_in_tree_order()
    {
        var (h, _, limit, _) = Limited(2, 4);
        Assert.Equal(["/f/fam/t0", "/f/fam/t1"], h.StartAll());
        Assert.Equal(2, limit.Value);
        Assert.Empty(h.Runnable());
    }

    [Fact]
    public void Why_names_the_full_limit_and_its_holders()
    {
        var (h, _, _, tasks) = Limited(2, 3);
        h.StartAll();
        Assert.Equal(["limit /f:lim is full (2/2: /f/fam/t0, /f/fam/t1)"], h.Why(tasks[2]));
    }

    [Fact]
    public void Priority_decides_who_gets_free_tokens_first()
    {
        var (h, _, _, tasks) = Limited(1, 4);
        tasks[2].AddParameter("TAKLER_PRIORITY", 5);
        tasks[3].AddParameter("TAKLER_PRIORITY", 5);
        Assert.Equal(["/f/fam/t2"], h.StartAll());
        h.Complete(tasks[2]);
        Assert.Equal(["/f/fam/t3"], h.StartAll());
        h.Complete(tasks[3]);
        Assert.Equal(["/f/fam/t0"], h.StartAll());
    }

    [Fact]
    public void Priority_is_inherited_from_a_family()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        flow.AddLimit("lim", 1);
        flow.AddInLimit("lim");
        flow.AddFamily("low").AddTask("t");
        var high = flow.AddFamily("high");
        high.AddParameter("TAKLER_PRIORITY", 10);
        high.AddTask("t");
        h.Begin();
        Assert.Equal(["/f/high/t"], h.Runnable());
    }

    [Fact]
    public void Tokens_are_released_on_complete_and_on_abort()
    {
        var (h, _, limit, tasks) = Limited(2, 4);
        h.StartAll();
        h.Complete(tasks[0]);
        h.Abort(tasks[1]);
        Assert.Equal(0, limit.Value);
        Assert.Equal(["/f/fam/t2", "/f/fam/t3"], h.StartAll());
    }

    [Fact]
    public void Tokens_are_released_when_a_holder_is_requeued_forced_or_deleted()
    {
        var (h, flow, limit, tasks) = Limited(3, 3);
        h.StartAll();
        Assert.Equal(3, limit.Value);

        h.Ops.Requeue(["/f/fam/t0"]);
        Assert.Equal(2, limit.Value);
        h.Ops.Force(ForceTarget.To(NodeStatus.Complete), false, ["/f/fam/t1"]);
        Assert.Equal(1, limit.Value);
        ((NodeContainer)flow.FindChild("fam")!).RemoveChild("t2");
        Assert.Equal(0, limit.Value);
        Assert.Empty(limit.Holders);
        Assert.Equal(NodeStatus.Active, tasks[2].Status);
    }

    [Fact]
    public void Requeue_of_a_family_releases_every_token_below_it()
    {
        var (h, _, limit, _) = Limited(3, 3);
        h.StartAll();
        h.Ops.Requeue(["/f/fam"]);
        Assert.Equal(0, limit.Value);
        Assert.Equal(3, h.StartAll().Count);
    }

    [Fact]
    public void Several_tokens_per_task_are_counted()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        flow.AddLimit("cpu", 5);
        flow.AddTask("big").AddInLimit("cpu", tokens: 3);
        flow.AddTask("big2").AddInLimit("cpu", tokens: 3);
        flow.AddTask("small").AddInLimit("cpu", tokens: 2);
        h.Begin();
        Assert.Equal(["/f/big", "/f/small"], h.StartAll());
        Assert.Equal(5, flow.FindLimit("cpu")!.Value);
    }

    [Fact]
    public void Task_needing_more_tokens_than_the_limit_has_never_runs_and_says_so()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        flow.AddLimit("cpu", 2);
        var t = flow.AddTask("t");
        t.AddInLimit("cpu", tokens: 3);
        h.Begin();
        Assert.Empty(h.Runnable());
        Assert.Equal(["limit /f:cpu (size 2) can never give the 3 tokens /f/t needs"], h.Why(t));
    }

    [Fact]
    public void Missing_limit_holds_only_its_task()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        var t = flow.AddTask("t");
        t.AddInLimit("nolimit");
        flow.AddTask("other");
        h.Begin();
        Assert.Equal(["/f/other"], h.Runnable());
        Assert.Equal(["inlimit nolimit (on /f/t): there is no limit nolimit on /f/t or above it"], h.Why(t));
    }

    [Fact]
    public void Limit_in_another_flow_is_found_by_path()
    {
        var h = new SchedulingHarness();
        var limits = h.AddFlow("limits");
        limits.AddLimit("hpc", 1);
        limits.DefaultStatus = DefaultStatus.Complete;
        var flow = h.AddFlow("f");
        flow.AddInLimit("hpc", "/limits");
        flow.AddTask("a");
        flow.AddTask("b");
        h.Begin();
        Assert.Equal(["/f/a"], h.StartAll());
        Assert.Equal(["limit /limits:hpc is full (1/1: /f/a)"], h.Why(flow.FindChild("b")!));
    }

    [Fact]
    public void Submission_only_limit_frees_its_token_when_the_task_starts()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        flow.AddLimit("sub", 1);
        var fam = flow.AddFamily("fam");
        fam.AddInLimit(new InLimit("sub", submissionOnly: true));
        var a = fam.AddTask("a");
        fam.AddTask("b");
        h.Begin();

        var pass = h.Pass();
        Assert.Equal(["/f/fam/a"], pass.Submittable.Select(t => t.Path));
        h.Ops.Submit(a, "pw");
        Assert.Equal(1, flow.FindLimit("sub")!.Value);
        Assert.Empty(h.Runnable());
        h.Ops.Init(a.Path, "job");
        Assert.Equal(0, flow.FindLimit("sub")!.Value);
        Assert.Equal(["/f/fam/b"], h.Runnable());
    }

    [Fact]
    public void Family_limit_counts_families_not_tasks()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        flow.AddLimit("fam", 2);
        foreach (var name in new[] { "f1", "f2", "f3" })
        {
            var family = flow.AddFamily(name);
            family.AddInLimit(new InLimit("fam", limitFamilies: true));
            family.AddTask("a");
            family.AddTask("b");
        }

        h.Begin();
        Assert.Equal(["/f/f1/a", "/f/f1/b", "/f/f2/a", "/f/f2/b"], h.StartAll());
        var limit = flow.FindLimit("fam")!;
        Assert.Equal(2, limit.Value);
        Assert.Equal(["/f/f1", "/f/f2"], limit.Holders.Keys);
        Assert.Equal(["limit /f:fam is full (2/2: /f/f1, /f/f2) (family limit: /f/f3 needs a token)"], h.Why(flow.FindChild("f3")!.Children[0]));
    }

    [Fact]
    public void Family_limit_token_is_held_until_the_last_task_below_stops()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        flow.AddLimit("fam", 1);
        var f1 = flow.AddFamily("f1");
        f1.AddInLimit(new InLimit("fam", limitFamilies: true));
        var a = f1.AddTask("a");
        var b = f1.AddTask("b");
        var f2 = flow.AddFamily("f2");
        f2.AddInLimit(new InLimit("fam", limitFamilies: true));
        f2.AddTask("a");
        h.Begin();

        Assert.Equal(["/f/f1/a", "/f/f1/b"], h.StartAll());
        h.Complete(a);
        Assert.True(flow.FindLimit("fam")!.IsHeldBy("/f/f1"));
        Assert.Empty(h.Runnable());
        h.Abort(b);
        Assert.Equal(0, flow.FindLimit("fam")!.Value);
        Assert.Equal(["/f/f2/a"], h.StartAll());
    }

    [Fact]
    public void Family_limit_with_task_limit_allows_one_task_of_one_family()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        flow.AddLimit("fam", 1);
        flow.AddLimit("T", 1);
        flow.AddInLimit("T");
        foreach (var name in new[] { "f1", "f2" })
        {
            var family = flow.AddFamily(name);
            family.AddInLimit(new InLimit("fam", limitFamilies: true));
            family.AddTask("a");
            family.AddTask("b");
        }

        h.Begin();
        Assert.Equal(["/f/f1/a"], h.StartAll());
        h.Complete((Task)h.Bunch.GetNode("/f/f1/a"));
        Assert.Equal(["/f/f1/b"], h.StartAll());
    }

    [Fact]
    public void Deleting_a_family_holding_a_family_limit_gives_the_token_back()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        flow.AddLimit("fam", 1);
        var f1 = flow.AddFamily("f1");
        f1.AddInLimit(new InLimit("fam", limitFamilies: true));
        f1.AddTask("a");
        h.Begin();
        h.StartAll();
        Assert.Equal(1, flow.FindLimit("fam")!.Value);
        flow.RemoveChild("f1");
        Assert.Equal(0, flow.FindLimit("fam")!.Value);
    }

    [Fact]
    public void Waiting_tasks_get_freed_tokens_in_a_later_incremental_pass()
    {
        var (h, _, _, tasks) = Limited(1, 3);
        var pass = h.Pass();
        Assert.Equal(["/f/fam/t0"], pass.Submittable.Select(t => t.Path));
        h.Start(tasks[0]);
        Assert.Empty(h.Pass().Submittable);
        h.Complete(tasks[0]);
        pass = h.Pass();
        Assert.Equal(["/f/fam/t1"], pass.Submittable.Select(t => t.Path));
    }
}
