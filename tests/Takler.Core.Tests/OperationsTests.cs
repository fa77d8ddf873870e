using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Takler.Core.Scheduling;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests;

public class OperationsTests
{
    private readonly Bunch _bunch = new();
    private readonly TestClock _clock = new();
    private readonly Operations _ops;
    private readonly Flow _flow;
    private readonly Family _fam;
    private readonly Task _t1;
    private readonly Task _t2;
    private readonly Task _top;

    public OperationsTests()
    {
        _ops = new Operations(_bunch, _clock);
        _flow = _bunch.AddFlow(new Flow("f"));
        _fam = _flow.AddFamily("fam");
        _t1 = _fam.AddTask("t1");
        _t1.AddEvent("ev").AddMeter("m", 0, 100).AddLabel("lab", "none");
        _t2 = _fam.AddTask("t2");
        _top = _flow.AddTask("top");
    }

    private void Begin() => _ops.Begin("f");

    private void Submit(Task task) => _ops.Submit(task, "pw");

    [Fact]
    public void A_new_tree_is_unknown_and_begin_queues_it()
    {
        Assert.All(_flow.SelfAndDescendants(), n => Assert.Equal(NodeStatus.Unknown, n.Status));
        Begin();
        Assert.True(_flow.Begun);
        Assert.All(_flow.SelfAndDescendants(), n => Assert.Equal(NodeStatus.Queued, n.Status));
        Assert.NotNull(_flow.Calendar.FlowTime);
    }

    [Fact]
    public void Begin_twice_is_an_error_unless_forced()
    {
        Begin();
        var error = Assert.Throws<TaklerException>(() => _ops.Begin("f"));
        Assert.Equal(TaklerErrorCode.FlowState, error.Code);
        Assert.Equal("flow is already begun: f", error.Message);
        _ops.Begin("f", force: true);
    }

    [Fact]
    public void Begin_of_all_flows_is_all_or_nothing()
    {
        var other = _bunch.AddFlow(new Flow("g"));
        Begin();
        Assert.Throws<TaklerException>(() => _ops.Begin(""));
        Assert.False(other.Begun);
    }

    [Fact]
    public void Begin_of_an_unknown_flow_is_node_not_found()
    {
        var error = Assert.Throws<TaklerException>(() => _ops.Begin("nope"));
        Assert.Equal(TaklerErrorCode.NodeNotFound, error.Code);
    }

    [Fact]
    public void Family_status_is_the_most_significant_of_its_children()
    {
        Begin();
        Submit(_t1);
        Assert.Equal(NodeStatus.Submitted, _fam.Status);
        Assert.Equal(NodeStatus.Submitted, _flow.Status);
        _ops.Init("/f/fam/t1", "123");
        Assert.Equal(NodeStatus.Active, _fam.Status);
        Submit(_t2);
        _ops.Init("/f/fam/t2", "124");
        _ops.Abort("/f/fam/t2", "bad");
        Assert.Equal(NodeStatus.Aborted, _fam.Status);
        Assert.Equal(NodeStatus.Aborted, _flow.Status);
        _ops.CompleteTask("/f/fam/t1");
        Assert.Equal(NodeStatus.Aborted, _fam.Status);
    }

    [Fact]
    public void Requeue_recomputes_the_ancestors()
    {
        Begin();
        Submit(_t2);
        _ops.Abort("/f/fam/t2", "x");
        Assert.Equal(NodeStatus.Aborted, _flow.Status);
        _ops.Requeue(["/f/fam/t2"]);
        Assert.Equal(NodeStatus.Queued, _t2.Status);
        Assert.Equal(NodeStatus.Queued, _fam.Status);
        Assert.Equal(NodeStatus.Queued, _flow.Status);
    }

    [Fact]
    public void All_complete_makes_the_family_and_flow_complete()
    {
        Begin();
        foreach (var t in new[] { _t1, _t2, _top })
        {
            Submit(t);
            _ops.Init(t.Path, "1");
            _ops.CompleteTask(t.Path);
        }

        Assert.Equal(NodeStatus.Complete, _fam.Status);
        Assert.Equal(NodeStatus.Complete, _flow.Status);
    }

    [Fact]
    public void Requeue_resets_events_meters_labels_and_the_try_number()
    {
        Begin();
        Submit(_t1);
        _ops.Init("/f/fam/t1", "1");
        _ops.SetEvent("/f/fam/t1", "ev");
        _ops.SetMeter("/f/fam/t1", "m", 40);
        _ops.SetLabel("/f/fam/t1", "lab", "half way");
        _ops.CompleteTask("/f/fam/t1");
        Assert.Equal(1, _t1.TryNo);

        _ops.Requeue(["/f/fam"]);

        Assert.False(_t1.FindEvent("ev")!.Value);
        Assert.Equal(0, _t1.FindMeter("m")!.Value);
        Assert.Equal("none", _t1.FindLabel("lab")!.Text);
        Assert.Equal(0, _t1.TryNo);
        Assert.Null(_t1.TaskId);
        Assert.Equal(NodeStatus.Queued, _t1.Status);
    }

    [Fact]
    public void Requeue_of_a_flow_not_begun_is_a_flow_state_error()
    {
        var error = Assert.Throws<TaklerException>(() => _ops.Requeue(["/f/fam"]));
        Assert.Equal(TaklerErrorCode.FlowState, error.Code);
        Assert.Equal("flow is not begun: f", error.Message);
    }

    [Fact]
    public void A_multi_path_command_with_one_bad_path_changes_nothing()
    {
        Begin();
        var error = Assert.Throws<TaklerException>(() => _ops.Suspend(["/f/fam/t1", "/f/nope"]));
        Assert.Equal(TaklerErrorCode.NodeNotFound, error.Code);
        Assert.False(_t1.Suspended);
    }

    [Fact]
    public void Suspend_and_resume_set_the_flag_only()
    {
        Begin();
        _ops.Suspend(["/f/fam"]);
        Assert.True(_fam.Suspended);
        Assert.True(_t1.IsSuspendedInTree(out var by));
        Assert.Same(_fam, by);
        Assert.Equal(NodeStatus.Queued, _fam.Status);
        _ops.Resume(["/f/fam"]);
        Assert.False(_t1.IsSuspendedInTree(out _));
    }

    [Fact]
    public void Defstatus_complete_on_a_family_completes_its_children_on_begin()
    {
        _fam.DefaultStatus = DefaultStatus.Complete;
        Begin();
        Assert.Equal(NodeStatus.Complete, _t1.Status);
        Assert.Equal(NodeStatus.Complete, _fam.Status);
        Assert.Equal(NodeStatus.Queued, _flow.Status);
    }

    [Fact]
    public void Defstatus_suspended_queues_and_suspends()
    {
        _t2.DefaultStatus = DefaultStatus.Suspended;
        Begin();
        Assert.Equal(NodeStatus.Queued, _t2.Status);
        Assert.True(_t2.Suspended);
    }

    [Fact]
    public void Run_lists_tasks_below_a_family_and_skips_running_ones_unless_forced()
    {
        Begin();
        Submit(_t1);
        Assert.Equal([_t2], _ops.Run(["/f/fam"]));
        Assert.Equal([_t1, _t2], _ops.Run(["/f/fam"], force: true));
    }

    [Fact]
    public void Submit_increments_the_try_number_and_sets_the_password()
    {
        Begin();
        Submit(_t1);
        _ops.Init("/f/fam/t1", "9");
        _ops.Abort("/f/fam/t1", "oops");
        Assert.Equal("oops", _t1.AbortedReason);
        _ops.Submit(_t1, "second");
        Assert.Equal(2, _t1.TryNo);
        Assert.Equal("second", _t1.Password);
        Assert.Null(_t1.AbortedReason);
    }

    [Fact]
    public void Child_commands_on_a_task_that_is_not_running_are_refused_and_change_nothing()
    {
        Begin();
        var error = Assert.Throws<TaklerException>(() => _ops.CompleteTask("/f/fam/t1"));
        Assert.Equal(TaklerErrorCode.Zombie, error.Code);
        Assert.Contains("/f/fam/t1 is queued", error.Message, StringComparison.Ordinal);
        Assert.Throws<TaklerException>(() => _ops.SetEvent("/f/fam/t1", "ev"));
        Assert.False(_t1.FindEvent("ev")!.Value);
        Assert.Equal(NodeStatus.Queued, _t1.Status);
    }

    [Fact]
    public void Child_commands_on_a_family_are_a_node_type_error()
    {
        Begin();
        var error = Assert.Throws<TaklerException>(() => _ops.Init("/f/fam", "1"));
        Assert.Equal(TaklerErrorCode.NodeType, error.Code);
    }

    [Fact]
    public void A_second_init_from_another_job_is_refused()
    {
        Begin();
        Submit(_t1);
        _ops.Init("/f/fam/t1", "1");
        _ops.Init("/f/fam/t1", "1");
        var error = Assert.Throws<TaklerException>(() => _ops.Init("/f/fam/t1", "2"));
        Assert.Equal(TaklerErrorCode.Zombie, error.Code);
        Assert.Equal("1", _t1.TaskId);
    }

    [Fact]
    public void A_meter_value_out_of_range_is_rejected_and_the_meter_keeps_its_value()
    {
        Begin();
        Submit(_t1);
        _ops.SetMeter("/f/fam/t1", "m", 10);
        var error = Assert.Throws<TaklerException>(() => _ops.SetMeter("/f/fam/t1", "m", 101));
        Assert.Equal(TaklerErrorCode.UnsupportedValue, error.Code);
        Assert.Equal(10, _t1.FindMeter("m")!.Value);
    }

    [Fact]
    public void Unknown_event_or_meter_names_report_false()
    {
        Begin();
        Submit(_t1);
        Assert.False(_ops.SetEvent("/f/fam/t1", "nope"));
        Assert.False(_ops.SetMeter("/f/fam/t1", "nope", 1));
    }

    [Fact]
    public void Force_recursive_sets_every_node_below_and_recomputes_the_parents()
    {
        Begin();
        _ops.Force(ForceTarget.To(NodeStatus.Complete), recursive: true, ["/f/fam"]);
        Assert.Equal(NodeStatus.Complete, _t1.Status);
        Assert.Equal(NodeStatus.Complete, _t2.Status);
        Assert.Equal(NodeStatus.Queued, _flow.Status);
        _ops.Force(ForceTarget.To(NodeStatus.Complete), recursive: false, ["/f/top"]);
        Assert.Equal(NodeStatus.Complete, _flow.Status);
    }

    [Fact]
    public void Force_aborted_marks_the_abort_as_the_operators()
    {
        Begin();
        _ops.Force(ForceTarget.To(NodeStatus.Aborted), recursive: false, ["/f/fam/t1"]);
        Assert.True(_t1.AbortedByOperator);
        Assert.Equal(NodeStatus.Aborted, _fam.Status);
    }

    [Fact]
    public void Force_set_and_clear_apply_to_events_only()
    {
        Begin();
        _ops.Force(ForceTarget.Set, false, ["/f/fam/t1:ev"]);
        Assert.True(_t1.FindEvent("ev")!.Value);
        _ops.Force(ForceTarget.Clear, false, ["/f/fam/t1:ev"]);
        Assert.False(_t1.FindEvent("ev")!.Value);

        var onNode = Assert.Throws<TaklerException>(() => _ops.Force(ForceTarget.Set, false, ["/f/fam/t1"]));
        Assert.Equal(TaklerErrorCode.UnsupportedValue, onNode.Code);
        var statusOnEvent = Assert.Throws<TaklerException>(() => _ops.Force(ForceTarget.To(NodeStatus.Complete), false, ["/f/fam/t1:ev"]));
        Assert.Equal(TaklerErrorCode.UnsupportedValue, statusOnEvent.Code);
        var missing = Assert.Throws<TaklerException>(() => _ops.Force(ForceTarget.Set, false, ["/f/fam/t1:nope"]));
        Assert.Equal(TaklerErrorCode.NodeNotFound, missing.Code);
    }

    [Fact]
    public void Free_dep_sets_the_latches_until_requeue()
    {
        _t2.AddTrigger("t1 == complete");
        _t2.AddTime("10:00");
        Begin();
        _ops.FreeDep(FreeDepKind.Trigger, ["/f/fam/t2"]);
        Assert.True(_t2.Trigger!.Free);
        Assert.False(_t2.Times[0].Free);
        _ops.FreeDep(FreeDepKind.All, ["/f/fam/t2"]);
        Assert.True(_t2.Times[0].Free);
        _ops.Requeue(["/f/fam/t2"]);
        Assert.False(_t2.Trigger!.Free);
        Assert.False(_t2.Times[0].Free);
    }

    [Fact]
    public void Run_queued_requeues_frees_and_sets_the_priority_on_each_task()
    {
        _t2.AddTrigger("t1 == complete");
        _t2.AddTime("10:00");
        Begin();
        _ops.Force(ForceTarget.To(NodeStatus.Complete), false, ["/f/fam/t2"]);
        Submit(_t1);

        var queued = _ops.RunQueued(["/f/fam"], priority: 4);

        Assert.Equal([_t2], queued); // t1 is submitted: left alone
        Assert.Equal(NodeStatus.Queued, _t2.Status);
        Assert.True(_t2.Trigger!.Free);
        Assert.True(_t2.Times[0].Free);
        Assert.Equal(4, TaskParameters.PriorityOf(_t2));
        Assert.Null(_t1.FindOwnParameter(TaskParameters.Priority));
    }

    [Fact]
    public void Run_queued_with_a_missing_path_changes_nothing()
    {
        _t2.AddTrigger("t1 == complete");
        Begin();
        Assert.Throws<TaklerException>(() => _ops.RunQueued(["/f/fam/t2", "/f/nope"], priority: 4));
        Assert.False(_t2.Trigger!.Free);
        Assert.Null(_t2.FindOwnParameter(TaskParameters.Priority));
    }

    [Fact]
    public void A_family_repeat_advances_on_completion_and_requeues_the_family()
    {
        _fam.AddRepeat(new RepeatDate("YMD", 20240101, 20240102));
        Begin();
        foreach (var t in new[] { _t1, _t2 })
        {
            Submit(t);
            _ops.CompleteTask(t.Path);
        }

        Assert.Equal(20240102, _fam.Repeat!.NumericValue);
        Assert.Equal(NodeStatus.Queued, _fam.Status);
        Assert.Equal(NodeStatus.Queued, _t1.Status);

        foreach (var t in new[] { _t1, _t2 })
        {
            Submit(t);
            _ops.CompleteTask(t.Path);
        }

        Assert.Equal(NodeStatus.Complete, _fam.Status);
        Assert.True(_fam.Repeat.IsExhausted);
        Assert.Equal(20240102, _fam.Repeat.NumericValue);
    }

    [Fact]
    public void Limit_tokens_are_taken_on_submit_and_released_on_complete_abort_and_requeue()
    {
        _flow.AddLimit("lim", 2);
        _fam.AddInLimit("lim");
        Begin();
        var limit = _flow.FindLimit("lim")!;
        Submit(_t1);
        Submit(_t2);
        Assert.Equal(2, limit.Value);
        Assert.Equal(["/f/fam/t1", "/f/fam/t2"], limit.Holders.Keys);
        _ops.CompleteTask("/f/fam/t1");
        Assert.Equal(1, limit.Value);
        _ops.Abort("/f/fam/t2", "x");
        Assert.Equal(0, limit.Value);
        Submit(_t2);
        _ops.Requeue(["/f/fam"]);
        Assert.Equal(0, limit.Value);
        Submit(_t1);
        _ops.Force(ForceTarget.To(NodeStatus.Queued), false, ["/f/fam/t1"]);
        Assert.Equal(0, limit.Value);
    }
}
