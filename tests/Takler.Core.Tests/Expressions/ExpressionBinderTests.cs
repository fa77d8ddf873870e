using Takler.Core.Attributes;
using Takler.Core.Expressions;
using Takler.Core.Nodes;

namespace Takler.Core.Tests.Expressions;

public class ExpressionBinderTests
{
    private readonly ExpressionTestTree _tree = new();

    [Fact]
    public void Relative_path_resolves_from_the_parent()
    {
        Assert.Equal([_tree.T1], ExpressionBinder.Bind(_tree.T2, "t1 == complete").Dependencies);
        Assert.Equal([_tree.T1], ExpressionBinder.Bind(_tree.T2, "./t1 == complete").Dependencies);
        Assert.Equal([_tree.T4], ExpressionBinder.Bind(_tree.T2, "sub/t4 == complete").Dependencies);
        Assert.Equal([_tree.T1], ExpressionBinder.Bind(_tree.T4, "../t1 == complete").Dependencies);
        Assert.Equal([_tree.T5], ExpressionBinder.Bind(_tree.T4, "../../other/t5 == complete").Dependencies);
        Assert.Equal([_tree.T5], ExpressionBinder.Bind(_tree.T2, "/f/other/t5 == complete").Dependencies);
    }

    [Fact]
    public void Absolute_paths_resolve_in_a_flow_not_yet_in_a_bunch()
    {
        var flow = new Flow("g");
        var a = flow.AddTask("a");
        var b = flow.AddTask("b");
        var bound = ExpressionBinder.Bind(b, "/g/a == complete");
        Assert.True(bound.IsResolved);
        Assert.Equal([a], bound.Dependencies);
    }

    [Fact]
    public void Dependencies_list_each_node_read_once()
    {
        var bound = ExpressionBinder.Bind(_tree.T2, "t1 == complete and (t1:ev or t1:m > 5) and ../other/t5 != aborted and :YMD > 0");
        Assert.Equal([_tree.T1, _tree.T5, _tree.Fam], bound.Dependencies);
        Assert.Empty(ExpressionBinder.Bind(_tree.T2, "1 == 1").Dependencies);
    }

    [Fact]
    public void Every_unresolved_reference_is_reported_with_its_holder()
    {
        _tree.T2.AddTrigger("../x == complete and t1:nope == 1");
        _tree.T3.AddComplete(":NOPE == 2 or /f/zz == complete");
        _tree.T4.AddTrigger("../t1 == complete");

        var result = ExpressionBinder.BindAll(_tree.Bunch);

        Assert.False(result.Success);
        Assert.Equal(3, result.ExpressionCount);
        Assert.Equal(
            [
                "/f/fam/t2: trigger '../x == complete and t1:nope == 1': node ../x not found",
                "/f/fam/t2: trigger '../x == complete and t1:nope == 1': t1:nope not found: /f/fam/t1 has no event, meter, variable, repeat, limit or label named nope",
                "/f/fam/t3: complete ':NOPE == 2 or /f/zz == complete': variable NOPE not found on /f/fam/t3, its ancestors or the server",
                "/f/fam/t3: complete ':NOPE == 2 or /f/zz == complete': node /f/zz not found",
            ],
            result.Problems.Select(p => p.Message));
        Assert.Equal(
            [BindProblemKind.NodeNotFound, BindProblemKind.AttributeNotFound, BindProblemKind.VariableNotFound, BindProblemKind.NodeNotFound],
            result.Problems.Select(p => p.Kind));
        Assert.Equal(["../x", "t1:nope", ":NOPE", "/f/zz"], result.Problems.Select(p => p.Reference));
        Assert.All(result.Problems, p => Assert.Equal(TaklerErrorCode.NodeNotFound, p.Code));
    }

    [Fact]
    public void Syntax_errors_are_reported_by_bind_all_not_thrown()
    {
        _tree.T2.AddTrigger("t1 == ");
        _tree.T3.AddTrigger("t1 == complete");

        var result = ExpressionBinder.BindAll(_tree.Flow);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(BindProblemKind.SyntaxError, problem.Kind);
        Assert.Equal(TaklerErrorCode.ExpressionSyntax, problem.Code);
        Assert.Equal(
            "/f/fam/t2: trigger 't1 ==': expression line 1, column 6: expected a status, number or path after '==' but found end of input",
            problem.Message);
        Assert.False(ExpressionEvaluator.Evaluate(_tree.T2.Trigger!.Bound!));
        Assert.True(_tree.T3.Trigger!.Bound!.IsResolved);
    }

    [Fact]
    public void Throw_if_failed_lists_every_problem()
    {
        _tree.T2.AddTrigger("a == complete");
        _tree.T3.AddTrigger("b == complete");
        var e = Assert.Throws<TaklerException>(() => ExpressionBinder.BindAll(_tree.Bunch).ThrowIfFailed());
        Assert.Equal(TaklerErrorCode.NodeNotFound, e.Code);
        Assert.Equal("/f/fam/t2: trigger 'a == complete': node a not found\n/f/fam/t3: trigger 'b == complete': node b not found", e.Message);
    }

    [Fact]
    public void Bind_all_caches_the_bound_form_on_the_attribute()
    {
        _tree.T2.AddTrigger("t1 == complete");
        _tree.T2.AddComplete("t1:ev");

        var result = ExpressionBinder.BindAll(_tree.Bunch);

        Assert.True(result.Success);
        Assert.Equal(2, result.ExpressionCount);
        Assert.Equal("trigger", _tree.T2.Trigger!.Bound!.Role);
        Assert.Equal("complete", _tree.T2.Complete!.Bound!.Role);
        Assert.Same(_tree.T2, _tree.T2.Trigger.Bound.Holder);
    }

    [Fact]
    public void Get_or_bind_reuses_the_cached_form_of_the_same_holder()
    {
        _tree.T2.AddTrigger("t1 == complete");
        var first = ExpressionBinder.GetOrBind(_tree.T2, _tree.T2.Trigger!);
        Assert.Same(first, ExpressionBinder.GetOrBind(_tree.T2, _tree.T2.Trigger!));

        // The same attribute read from another holder binds from there.
        var other = ExpressionBinder.GetOrBind(_tree.T4, _tree.T2.Trigger!);
        Assert.NotSame(first, other);
        Assert.False(other.IsResolved);
    }

    [Fact]
    public void Adding_a_part_drops_the_bound_form()
    {
        _tree.T2.AddTrigger("t1 == complete");
        ExpressionBinder.BindAll(_tree.Bunch);
        _tree.T2.AddTrigger("t3 == complete", ExpressionJoin.Or);
        Assert.Null(_tree.T2.Trigger!.Bound);
    }

    [Fact]
    public void Binding_again_after_the_tree_changes_sees_the_change()
    {
        _tree.T2.AddTrigger("t9 == complete");
        Assert.False(ExpressionBinder.BindAll(_tree.Bunch).Success);

        var t9 = _tree.Fam.AddTask("t9");
        var result = ExpressionBinder.BindAll(_tree.Bunch);
        Assert.True(result.Success);
        Assert.Equal([t9], _tree.T2.Trigger!.Bound!.Dependencies);

        _tree.Fam.RemoveChild("t9");
        Assert.Equal("node t9 not found", Assert.Single(ExpressionBinder.BindAll(_tree.Bunch).Problems).Reason);
    }

    [Fact]
    public void Invalidate_makes_the_next_evaluation_bind_again()
    {
        _tree.T2.AddTrigger("t9 == complete");
        Assert.False(ExpressionEvaluator.Evaluate(_tree.T2, _tree.T2.Trigger!));
        var t9 = _tree.Fam.AddTask("t9");
        t9.SetStatus(NodeStatus.Complete);

        ExpressionBinder.Invalidate(_tree.Bunch);

        Assert.Null(_tree.T2.Trigger!.Bound);
        Assert.True(ExpressionEvaluator.Evaluate(_tree.T2, _tree.T2.Trigger));
    }

    [Fact]
    public void Path_attributes_are_looked_up_in_ecflow_order()
    {
        // An event and a parameter of the same name: the event wins, as in ecFlow.
        _tree.T1.AddParameter("ev", "5");
        _tree.T1.AddParameter("lim", "7");
        _tree.T1.AddLimit("lim", 3);
        var bound = ExpressionBinder.Bind(_tree.T2, "t1:ev == 0 and t1:lim == 7");
        Assert.True(ExpressionEvaluator.Evaluate(bound));
    }

    [Fact]
    public void Events_can_be_referred_to_by_number()
    {
        _tree.T3.AddEvent(new Event(string.Empty, number: 1));
        var bound = ExpressionBinder.Bind(_tree.T2, "t3:1 == clear");
        Assert.True(bound.IsResolved);
        Assert.True(ExpressionEvaluator.Evaluate(bound));
    }

    [Fact]
    public void Colon_variables_are_found_on_the_holder_its_ancestors_or_the_server()
    {
        _tree.T2.AddParameter("OWN", "1");
        _tree.Flow.AddParameter("TOP", "2");
        _tree.Bunch.AddServerParameter("SRV", "3");
        var bound = ExpressionBinder.Bind(_tree.T2, ":OWN == 1 and :TOP == 2 and :SRV == 3 and :YMD == 20240101 and :TASK == :TASK and :TAKLER_PORT == 33083");
        Assert.True(bound.IsResolved, string.Join('\n', bound.Problems));
        Assert.Equal([_tree.T2, _tree.Flow, _tree.Fam], bound.Dependencies);
        Assert.True(ExpressionEvaluator.Evaluate(bound));
    }

    [Fact]
    public void Flow_time_variables_bind_before_the_flow_begins()
    {
        var bound = ExpressionBinder.Bind(_tree.T2, ":YYYY >= 2024 or /f:ECF_DATE > 0");
        Assert.True(bound.IsResolved, string.Join('\n', bound.Problems));
        Assert.False(ExpressionEvaluator.Evaluate(bound));
    }

    [Fact]
    public void Reading_a_flow_calendar_variable_depends_on_the_flow()
    {
        var bound = ExpressionBinder.Bind(_tree.T2, ":DOW == 1 or t1 == complete");
        Assert.Equal([_tree.Flow, _tree.T1], bound.Dependencies);
    }

    [Fact]
    public void Trigger_and_complete_of_one_node_are_both_reported()
    {
        _tree.T2.AddTrigger("gone == complete");
        _tree.T2.AddComplete("gone:ev");
        var result = ExpressionBinder.BindAll(_tree.Flow);
        Assert.Equal(
            ["/f/fam/t2: trigger 'gone == complete': node gone not found", "/f/fam/t2: complete 'gone:ev': node gone not found"],
            result.Problems.Select(p => p.Message));
    }

    [Fact]
    public void Continuation_parts_are_reported_with_the_joined_text()
    {
        _tree.T2.AddTrigger("t1 == complete");
        _tree.T2.AddTrigger("t8 == complete", ExpressionJoin.Or);
        var problem = Assert.Single(ExpressionBinder.BindAll(_tree.Flow).Problems);
        Assert.Equal("/f/fam/t2: trigger '(t1 == complete) or (t8 == complete)': node t8 not found", problem.Message);
    }

    [Fact]
    public void An_expression_bound_on_its_own_has_the_expression_role()
    {
        var bound = ExpressionBinder.Bind(_tree.T2, "x == complete");
        Assert.Equal("expression", bound.Role);
        Assert.Equal("/f/fam/t2: expression 'x == complete': node x not found", Assert.Single(bound.Problems).Message);
    }
}
