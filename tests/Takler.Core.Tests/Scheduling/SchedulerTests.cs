using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Takler.Core.Scheduling;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Scheduling;

public class SchedulerTests
{
    [Fact]
    public void Nothing_runs_in_a_flow_not_begun()
    {
        var h = new SchedulingHarness();
        var t = h.AddFlow().AddTask("t");
        Assert.Empty(h.Runnable());
        Assert.Equal(["flow /f is not begun", "status is unknown"], h.Why(t));
    }

    [Fact]
    public void Queued_task_without_dependencies_may_run_and_why_is_empty()
    {
        var h = new SchedulingHarness();
        var t = h.AddFlow().AddTask("t");
        h.Begin();
        Assert.Equal(["/f/t"], h.Runnable());
        Assert.Empty(h.Why(t));
    }

    [Fact]
    public void Trigger_holds_until_it_is_true_and_why_gives_the_failing_term()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        var t1 = flow.AddTask("t1");
        var t2 = flow.AddTask("t2");
        t2.AddTrigger("t1 == complete");
        h.Begin();

        Assert.Equal(["/f/t1"], h.StartAll());
        Assert.Equal(["trigger false: t1 == complete (t1 is active)"], h.Why(t2));
        h.Complete(t1);
        Assert.Equal(["/f/t2"], h.StartAll());
    }

    [Fact]
    public void Suspended_family_holds_everything_below_until_resumed()
    {
        var h = new SchedulingHarness();
        var fam = h.AddFlow().AddFamily("fam");
        var t = fam.AddTask("t");
        h.Begin();
        h.Ops.Suspend(["/f/fam"]);
        Assert.Empty(h.Runnable());
        Assert.Equal(["suspended: /f/fam"], h.Why(t));
        h.Ops.Resume(["/f/fam"]);
        Assert.Equal(["/f/fam/t"], h.Runnable());
    }

    [Fact]
    public void Why_lists_every_reason_in_check_order()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var flow = h.AddFlow();
        flow.AddLimit("lim", 1);
        var other = flow.AddTask("other");
        other.AddInLimit("lim");
        var fam = flow.AddFamily("fam");
        var t = fam.AddTask("t");
        t.AddTime("10:00");
        t.AddTrigger("../other == complete");
        t.AddInLimit("lim");
        h.Begin();
        h.Start(other);
        h.Ops.Suspend(["/f/fam"]);

        Assert.Equal(
            [
                "suspended: /f/fam",
                "waiting for time 10:00 (next slot today at 10:00)",
                "trigger false: ../other == complete (../other is active)",
                "limit /f:lim is full (1/1: /f/other)",
            ],
            h.Why(t));
    }

    [Fact]
    public void Family_trigger_holds_the_tasks_below_and_why_names_the_family()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        var first = flow.AddTask("first");
        var fam = flow.AddFamily("fam");
        fam.AddTrigger("first == complete");
        var t = fam.AddTask("t");
        h.Begin();
        Assert.Equal(["/f/first"], h.StartAll());
        Assert.Equal(["/f/fam: trigger false: first == complete (first is active)"], h.Why(t));
        Assert.Equal(["trigger false: first == complete (first is active)"], h.Why(fam));
        h.Complete(first);
        Assert.Equal(["/f/fam/t"], h.StartAll());
    }

    [Fact]
    public void Why_of_a_family_without_reasons_of_its_own_sums_up_its_children()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var fam = h.AddFlow().AddFamily("fam");
        fam.AddTask("a").AddTime("10:00");
        fam.AddTask("b").AddTrigger("a == complete");
        h.Begin();
        Assert.Equal(
            ["/f/fam/a: waiting for time 10:00 (next slot today at 10:00)", "/f/fam/b: trigger false: a == complete (a is queued)"],
            h.Why(fam));
    }

    [Fact]
    public void Complete_expression_completes_the_node_without_running_and_dependants_follow_in_the_same_pass()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        var gate = flow.AddTask("gate");
        var skip = flow.AddTask("skip");
        skip.AddComplete("gate == complete");
        skip.AddTrigger("gate == aborted");
        var after = flow.AddTask("after");
        after.AddTrigger("skip == complete");
        h.Begin();

        Assert.Equal(["/f/gate"], h.StartAll());
        h.Complete(gate);
        var pass = h.Pass();
        Assert.Equal(["/f/skip"], pass.CompletedByExpression.Select(n => n.Path));
        Assert.Equal(NodeStatus.Complete, skip.Status);
        Assert.Equal(["/f/after"], pass.Submittable.Select(t => t.Path));
        Assert.Equal(["status is complete (completed by its complete expression)"], h.Why(skip));
    }

    [Fact]
    public void Complete_expression_on_a_family_completes_everything_below()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        var check = flow.AddTask("check");
        var fam = flow.AddFamily("fam");
        fam.AddComplete("check == complete");
        fam.AddTrigger("check == aborted");
        fam.AddTask("a");
        fam.AddFamily("inner").AddTask("b");
        h.Begin();
        h.StartAll();
        h.Complete(check);
        h.Pass();
        Assert.All(fam.SelfAndDescendants(), n => Assert.Equal(NodeStatus.Complete, n.Status));
        Assert.Equal(NodeStatus.Complete, flow.Status);
    }

    [Fact]
    public void Time_is_checked_before_the_complete_expression()
    {
        var h = new SchedulingHarness("2024-01-08 09:00");
        var t = h.AddFlow().AddTask("t");
        t.AddTime("10:00");
        t.AddComplete("/f == queued");
        h.Begin();
        Assert.Empty(h.Pass().CompletedByExpression);
        Assert.Equal(["waiting for time 10:00 (next slot today at 10:00)"], h.Why(t));
        h.At("2024-01-08 10:00");
        Assert.Equal(["/f/t"], h.Pass().CompletedByExpression.Select(n => n.Path));
    }

    [Fact]
    public void Why_reports_a_holding_complete_expression_as_an_action()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        var t = flow.AddTask("t");
        t.AddComplete("/f == queued");
        h.Begin();
        Assert.Equal(["complete expression holds: /f == queued (completes without running at the next pass)"], h.Why(t));
    }

    [Fact]
    public void Broken_trigger_holds_only_its_own_node()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        var broken = flow.AddTask("broken");
        broken.AddTrigger("nope == complete");
        var garbled = flow.AddTask("garbled");
        garbled.AddTrigger("this is not an expression");
        flow.AddTask("fine");
        h.Begin();
        Assert.Equal(["/f/fine"], h.Runnable());
        Assert.Equal(["trigger cannot be evaluated: 'nope == complete': node nope not found"], h.Why(broken));
        Assert.Equal(["trigger cannot be evaluated: 'this is not an expression': expression line 1, column 6: expected an operator, 'and', 'or' or end of input after path 'this' but found path 'is'"], h.Why(garbled));
    }

    [Fact]
    public void Broken_complete_expression_holds_the_node()
    {
        var h = new SchedulingHarness();
        var t = h.AddFlow().AddTask("t");
        t.AddComplete("gone == complete");
        h.Begin();
        Assert.Empty(h.Runnable());
        Assert.Equal(["complete expression cannot be evaluated: 'gone == complete': node gone not found"], h.Why(t));
    }

    [Fact]
    public void Evaluator_that_throws_holds_only_its_node()
    {
        var h = new SchedulingHarness();
        var bunch = new Bunch();
        var flow = bunch.AddFlow(new Flow("f"));
        flow.AddTask("t").AddTrigger("boom");
        flow.AddTask("u");
        var clock = new ManualTimeProvider(h.Now);
        var scheduler = new Scheduler(bunch, new ThrowingEvaluator(), clock);
        new Operations(bunch, clock).Begin("f");
        Assert.Equal(["/f/u"], scheduler.FullPass(clock.GetUtcNow()).Submittable.Select(t => t.Path));
        Assert.Equal(["trigger cannot be evaluated: evaluator failed"], scheduler.Why(flow.FindChild("t")!, clock.GetUtcNow()));
    }

    [Fact]
    public void Free_dep_of_a_trigger_lets_the_task_run()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        flow.AddTask("t").AddTrigger("/f/t == complete");
        h.Begin();
        Assert.Empty(h.Runnable());
        h.Ops.FreeDep(FreeDepKind.Trigger, ["/f/t"]);
        Assert.Equal(["/f/t"], h.Runnable());
    }

    [Fact]
    public void Incremental_pass_re_evaluates_only_the_changed_task_and_its_dependants()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        var tasks = new List<Task>();
        for (var f = 0; f < 10; f++)
        {
            var fam = flow.AddFamily($"fam{f}");
            for (var i = 0; i < 20; i++)
            {
                var t = fam.AddTask($"t{i}");
                if (i > 0)
                {
                    t.AddTrigger($"t{i - 1} == complete");
                }

                tasks.Add(t);
            }
        }

        h.Begin();
        var full = h.FullPass();
        Assert.Equal(10, full.Submittable.Count);
        foreach (var t in full.Submittable)
        {
            h.Start(t);
        }

        h.Pass();
        h.Complete(tasks[0]);
        var evaluationsBefore = h.Evaluator.Evaluations;
        var pass = h.Pass();
        Assert.Equal(["/f/fam0/t1"], pass.Submittable.Select(t => t.Path));
        Assert.InRange(pass.Evaluated, 1, 4); // the task, its family, the flow (statuses changed), its dependant
        Assert.Equal(1, h.Evaluator.Evaluations - evaluationsBefore);
    }

    [Fact]
    public void Incremental_pass_after_adding_nodes_sees_them()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        flow.AddTask("a");
        h.Begin();
        Assert.Equal(["/f/a"], h.Runnable());
        var b = flow.AddTask("b");
        h.Ops.Requeue(["/f/b"]);
        Assert.Equal(["/f/a", "/f/b"], h.Runnable());
        Assert.Equal(NodeStatus.Queued, b.Status);
    }

    [Fact]
    public void Incremental_pass_after_an_explicit_rebuild_evaluates_everything()
    {
        var h = new SchedulingHarness();
        h.AddFlow().AddTask("t");
        h.Begin();
        Assert.Equal(["/f/t"], h.Runnable());
        h.Scheduler.Rebuild();
        Assert.Equal(["/f/t"], h.Runnable());
    }

    [Fact]
    public void Trigger_part_added_later_is_followed()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        var a = flow.AddTask("a");
        var b = flow.AddTask("b");
        var c = flow.AddTask("c");
        c.AddTrigger("a == complete");
        h.Begin();
        h.Start(a);
        h.Start(b);
        h.Complete(a);
        Assert.Equal(["/f/c"], h.Runnable());
        c.AddTrigger("b == complete");
        h.Bunch.Observer!.AttributeChanged(c);
        Assert.Empty(h.Runnable());
        h.Complete(b);
        Assert.Equal(["/f/c"], h.Runnable());
    }

    [Fact]
    public void Changing_a_trigger_is_followed_by_the_dependents_index()
    {
        var h = new SchedulingHarness();
        var flow = h.AddFlow();
        var a = flow.AddTask("a");
        var b = flow.AddTask("b");
        var c = flow.AddTask("c");
        c.AddTrigger("a == complete");
        h.Begin();
        h.Start(a);
        h.Start(b);
        h.Pass();
        c.RemoveTrigger();
        c.AddTrigger("b == complete");
        h.Ops.Requeue(["/f/c"]);
        Assert.Empty(h.Runnable());
        h.Complete(b);
        Assert.Equal(["/f/c"], h.Runnable());
    }

    [Fact]
    public void Scheduler_keeps_an_observer_already_set()
    {
        var bunch = new Bunch();
        var recorder = new RecordingObserver();
        bunch.Observer = recorder;
        var clock = new ManualTimeProvider(SchedulingHarness.Instant("2024-01-08 09:00"));
        var evaluator = new TreeExpressionEvaluator(bunch);
        var scheduler = new Scheduler(bunch, evaluator, clock);
        var outer = Assert.IsType<CompositeNodeObserver>(bunch.Observer);
        var inner = Assert.IsType<CompositeNodeObserver>(outer.Observers[0]);
        Assert.Equal<INodeObserver>([recorder, evaluator], inner.Observers);
        Assert.Same(scheduler, outer.Observers[1]);
        bunch.AddFlow(new Flow("f")).AddTask("t");
        new Operations(bunch, clock).Begin("f");
        Assert.True(recorder.Changes > 0);
        Assert.Single(scheduler.IncrementalPass(clock.GetUtcNow()).Submittable);
    }

    private sealed class ThrowingEvaluator : IExpressionEvaluator
    {
        public ExpressionResult Evaluate(Node holder, ExpressionAttribute expression, bool explain) => throw new InvalidOperationException("evaluator failed");

        public IReadOnlyCollection<Node> Dependencies(Node holder, ExpressionAttribute expression) => throw new InvalidOperationException("evaluator failed");
    }

    private sealed class RecordingObserver : INodeObserver
    {
        public int Changes { get; private set; }

        public void StatusChanged(Node node, NodeStatus old) => Changes++;

        public void AttributeChanged(Node node) => Changes++;

        public void TreeChanged(NodeContainer? container) => Changes++;
    }
}
