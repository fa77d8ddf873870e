using Takler.Core.Attributes;
using Takler.Core.Expressions;
using Takler.Core.Nodes;

namespace Takler.Core.Tests.Expressions;

public class ExpressionEvaluatorTests
{
    private readonly ExpressionTestTree _tree = new();

    private bool Eval(string text, Takler.Core.Nodes.Node? holder = null)
    {
        var bound = ExpressionBinder.Bind(holder ?? _tree.T2, text);
        Assert.True(bound.IsResolved, string.Join('\n', bound.Problems));
        return ExpressionEvaluator.Evaluate(bound);
    }

    private IReadOnlyList<string> Why(string text, Takler.Core.Nodes.Node? holder = null) =>
        ExpressionEvaluator.Explain(ExpressionBinder.Bind(holder ?? _tree.T2, text));

    [Fact]
    public void A_status_comparison_reads_the_current_status()
    {
        Assert.False(Eval("t1 == complete"));
        _tree.T1.SetStatus(NodeStatus.Complete);
        Assert.True(Eval("t1 == complete"));
        Assert.True(Eval("t1 eq complete"));
        Assert.False(Eval("t1 != complete"));
        Assert.True(Eval("t1 ne aborted"));
    }

    [Fact]
    public void Bound_expressions_see_later_changes()
    {
        var bound = ExpressionBinder.Bind(_tree.T2, "t1 == complete and t1:ev == set and t1:m >= 50");
        Assert.False(ExpressionEvaluator.Evaluate(bound));
        _tree.T1.SetStatus(NodeStatus.Complete);
        _tree.Ev.Value = true;
        _tree.M.SetValue(50);
        Assert.True(ExpressionEvaluator.Evaluate(bound));
    }

    [Theory]
    [InlineData(NodeStatus.Unknown, true)]
    [InlineData(NodeStatus.Complete, true)]
    [InlineData(NodeStatus.Queued, true)]
    [InlineData(NodeStatus.Aborted, true)]
    [InlineData(NodeStatus.Submitted, true)]
    [InlineData(NodeStatus.Active, false)]
    public void Statuses_compare_by_ecflow_ordinal(NodeStatus status, bool lessThanActive)
    {
        _tree.T1.SetStatus(status);
        Assert.Equal(lessThanActive, Eval("t1 < active"));
        Assert.Equal(!lessThanActive, Eval("t1 ge active"));
        Assert.Equal(status >= NodeStatus.Queued, Eval("t1 >= queued"));
    }

    [Fact]
    public void A_bare_path_means_complete_and_a_bare_event_means_set()
    {
        Assert.False(Eval("t1"));
        Assert.False(Eval("t1:ev"));
        _tree.T1.SetStatus(NodeStatus.Complete);
        _tree.Ev.Value = true;
        Assert.True(Eval("t1"));
        Assert.True(Eval("t1:ev"));
        Assert.True(Eval("t1 and t1:ev"));
    }

    [Fact]
    public void Events_compare_with_set_clear_and_unset()
    {
        Assert.True(Eval("t1:ev == clear"));
        Assert.True(Eval("t1:ev == unset"));
        Assert.False(Eval("t1:ev == set"));
        _tree.Ev.Value = true;
        Assert.True(Eval("t1:ev == set"));
        Assert.True(Eval("t1:ev == 1"));
    }

    [Fact]
    public void Meters_compare_as_numbers()
    {
        _tree.M.SetValue(20);
        Assert.False(Eval("../fam/t1:m >= 50"));
        Assert.True(Eval("t1:m > 10"));
        Assert.True(Eval("t1:m == 20"));
    }

    [Fact]
    public void Arithmetic_works_on_meters_and_numbers()
    {
        _tree.M.SetValue(9);
        Assert.True(Eval("t1:m + 2 > 10"));
        Assert.False(Eval("t1:m + 1 > 10"));
        Assert.True(Eval("t1:m % 6 == 3"));
        Assert.True(Eval("t1:m * 2 - 3 == 15"));
        Assert.True(Eval("t1:m / 2 == 4"));
        Assert.True(Eval("-t1:m == 0 - 9"));
        Assert.True(Eval("1 + 2 * 3 == 7"));
        Assert.True(Eval("(1 + 2) * 3 == 9"));
    }

    [Fact]
    public void Division_by_zero_gives_zero_instead_of_failing()
    {
        _tree.M.SetValue(9);
        Assert.True(Eval("t1:m / 0 == 0"));
        Assert.True(Eval("t1:m % 0 == 0"));
        Assert.False(Eval("t1:m / 0"));
        Assert.True(Eval("t1:m / (0 - 1) == 0 - 9"));
    }

    [Fact]
    public void Repeat_values_and_their_generated_parts_are_readable()
    {
        Assert.True(Eval("../fam:YMD ge 20240101"));
        Assert.True(Eval(":YMD == 20240101"));
        Assert.True(Eval("../fam:YMD_MM == 1 and ../fam:YMD_DD == 1 and :YMD_YYYY == 2024"));
        _tree.Fam.Repeat!.SetPosition(5);
        Assert.True(Eval("../fam:YMD == 20240106"));
        Assert.True(Eval(":YMD_DD eq 6"));
    }

    [Fact]
    public void A_string_repeat_compares_as_its_position()
    {
        _tree.T3.AddRepeat(new RepeatString("S", ["a", "b", "c"]));
        _tree.T3.Repeat!.SetPosition(2);
        Assert.True(Eval("t3:S == 2"));
    }

    [Fact]
    public void Variables_compare_as_numbers_when_both_sides_are_numbers()
    {
        _tree.T2.AddParameter("N", "7");
        _tree.T2.AddParameter("TEN", "10");
        Assert.True(Eval(":N > 5"));
        Assert.True(Eval(":N < :TEN")); // as text "7" > "10"; as numbers 7 < 10
        Assert.True(Eval(":N + 3 == :TEN"));
    }

    [Fact]
    public void Variables_that_are_text_compare_as_text()
    {
        _tree.T1.AddParameter("MODE", "fast");
        _tree.T2.AddParameter("MODE", "fast");
        _tree.T3.AddParameter("MODE", "slow");
        Assert.True(Eval("t1:MODE == t2:MODE"));
        Assert.False(Eval("t1:MODE == t3:MODE"));
        Assert.True(Eval("t1:MODE != 0"));
        Assert.False(Eval("t1:MODE"));
        Assert.True(Eval("t1:MODE + 1 == 1"));
    }

    [Fact]
    public void Labels_compare_as_text_or_as_numbers_when_numeric()
    {
        _tree.T1.AddParameter("WANT", "start");
        Assert.True(Eval("t1:lbl == t1:WANT"));
        Assert.False(Eval("t1:lbl == 42"));
        _tree.Lbl.Text = "42";
        Assert.True(Eval("t1:lbl == 42"));
        Assert.True(Eval("t1:lbl > 9"));
    }

    [Fact]
    public void A_changed_variable_is_seen_without_binding_again()
    {
        _tree.T2.AddParameter("N", "1");
        var bound = ExpressionBinder.Bind(_tree.T2, ":N == 2");
        Assert.False(ExpressionEvaluator.Evaluate(bound));
        _tree.T2.AddParameter("N", "2");
        Assert.True(ExpressionEvaluator.Evaluate(bound));
    }

    [Fact]
    public void Not_applies_to_the_whole_comparison()
    {
        _tree.T1.SetStatus(NodeStatus.Complete);
        Assert.False(Eval("!t1 == complete"));
        Assert.False(Eval("not t1 == complete"));
        Assert.True(Eval("NOT t1 == aborted"));
        Assert.True(Eval("!(t1 == aborted) && t3 != aborted"));
    }

    [Fact]
    public void And_binds_tighter_than_or_when_evaluated()
    {
        _tree.T1.SetStatus(NodeStatus.Complete);
        // true or (false and false) is true; (true or false) and false would be false.
        Assert.True(Eval("t1 == complete or t3 == complete and t3 == aborted"));
    }

    [Fact]
    public void Continuation_parts_fold_left_as_in_ecflow()
    {
        _tree.T1.SetStatus(NodeStatus.Complete);
        _tree.T2.AddTrigger("t1 == complete");
        _tree.T2.AddTrigger("t3 == complete", ExpressionJoin.Or);
        _tree.T2.AddTrigger("t4 == complete", ExpressionJoin.And);
        _tree.Sub.AddTask("x"); // keep sub/t4 distinct from a missing t4

        // ((t1 or t3) and t4): t4 is not a sibling of t2, so the third part does not resolve.
        Assert.False(ExpressionEvaluator.Evaluate(_tree.T2, _tree.T2.Trigger!));

        _tree.T3.AddTrigger("t1 == complete");
        _tree.T3.AddTrigger("t2 == complete", ExpressionJoin.Or);
        _tree.T3.AddTrigger("sub/t4 == complete", ExpressionJoin.And);
        Assert.False(ExpressionEvaluator.Evaluate(_tree.T3, _tree.T3.Trigger!));
        _tree.T4.SetStatus(NodeStatus.Complete);
        Assert.True(ExpressionEvaluator.Evaluate(_tree.T3, _tree.T3.Trigger!));

        var parts = new ExpressionAttribute("t1 == aborted");
        parts.Add(ExpressionJoin.And, "t2 == aborted");
        parts.Add(ExpressionJoin.Or, "t1 == complete");
        // ((false and false) or true)
        Assert.True(ExpressionEvaluator.Evaluate(_tree.T3, parts));
    }

    [Fact]
    public void Evaluating_an_attribute_binds_it_once_and_caches_it()
    {
        _tree.T2.AddTrigger("t1 == complete");
        Assert.Null(_tree.T2.Trigger!.Bound);
        Assert.False(ExpressionEvaluator.Evaluate(_tree.T2, _tree.T2.Trigger));
        var bound = _tree.T2.Trigger.Bound;
        Assert.NotNull(bound);
        _tree.T1.SetStatus(NodeStatus.Complete);
        Assert.True(ExpressionEvaluator.Evaluate(_tree.T2, _tree.T2.Trigger));
        Assert.Same(bound, _tree.T2.Trigger.Bound);
    }

    [Fact]
    public void An_expression_with_unresolved_references_is_false_and_explained()
    {
        _tree.T2.AddTrigger("not ../x == complete");
        Assert.False(ExpressionEvaluator.Evaluate(_tree.T2, _tree.T2.Trigger!));
        Assert.Equal(["node ../x not found"], ExpressionEvaluator.Explain(_tree.T2, _tree.T2.Trigger!));
    }

    [Fact]
    public void An_expression_that_does_not_parse_is_false_and_explained()
    {
        _tree.T2.AddTrigger("t1 == complete and (");
        Assert.False(ExpressionEvaluator.Evaluate(_tree.T2, _tree.T2.Trigger!));
        Assert.Equal(
            ["expression line 1, column 21: expected a status, number or path after '(' but found end of input"],
            ExpressionEvaluator.Explain(_tree.T2, _tree.T2.Trigger!));
    }

    [Fact]
    public void Why_names_the_failing_terms_with_the_values_read()
    {
        _tree.T1.SetStatus(NodeStatus.Active);
        _tree.M.SetValue(20);
        Assert.Equal(["../t1 == complete (../t1 is active)"], Why("../t1 == complete", _tree.T4));
        Assert.Equal(["/f/fam/t1:ev == set (ev is clear)"], Why("/f/fam/t1:ev == set"));
        Assert.Equal(["t1:m >= 50 (m is 20)"], Why("t1:m >= 50"));
        Assert.Equal(["t1:ev (ev is clear)"], Why("t1:ev"));
        Assert.Equal(["../fam:YMD > 20240105 (YMD is 20240101)"], Why("../fam:YMD > 20240105"));
        Assert.Equal(["t1:lbl == 5 (lbl is 'start')"], Why("t1:lbl == 5"));
        Assert.Equal(["t1:m + t1:m > 100 (m is 20)"], Why("t1:m + t1:m > 100"));
        Assert.Equal(["t1 == t3 (t1 is active, t3 is unknown)"], Why("t1 == t3"));
    }

    [Fact]
    public void Why_lists_only_the_false_operands_of_and_and_every_operand_of_or()
    {
        _tree.T1.SetStatus(NodeStatus.Complete);
        Assert.Equal(
            ["t3 == complete (t3 is unknown)", "t1:m > 0 (m is 0)", "t1:ev == set (ev is clear)"],
            Why("t1 == complete and t3 == complete and (t1:m > 0 or t1:ev == set)"));
        Assert.Equal(
            ["t3 == complete (t3 is unknown)", "t1:ev == set (ev is clear)"],
            Why("(t3 == complete) or t1:ev == set"));
        Assert.Equal(["!(t1 == complete) (t1 is complete)"], Why("!(t1 == complete)"));
        Assert.Empty(Why("t1 == complete"));
    }

    [Fact]
    public void Two_comparisons_or_flags_joined_read_explain_and_list_their_nodes()
    {
        var either = ExpressionBinder.Bind(_tree.T2, "t1 == complete or t1:ev");
        Assert.Equal([_tree.T1], either.Dependencies);
        Assert.False(ExpressionEvaluator.Evaluate(either));
        Assert.Equal(["t1 == complete (t1 is unknown)", "t1:ev (ev is clear)"], ExpressionEvaluator.Explain(either));
        _tree.Ev.Value = true;
        Assert.True(ExpressionEvaluator.Evaluate(either));

        var both = ExpressionBinder.Bind(_tree.T2, "set == t1:ev and active > t3");
        Assert.Equal([_tree.T1, _tree.T3], both.Dependencies);
        Assert.True(ExpressionEvaluator.Evaluate(both));
        _tree.T3.SetStatus(NodeStatus.Active);
        Assert.False(ExpressionEvaluator.Evaluate(both));
        Assert.Equal(["active > t3 (t3 is active)"], ExpressionEvaluator.Explain(both));
    }

    [Fact]
    public void Why_explains_each_continuation_part_in_its_own_words()
    {
        _tree.T2.AddTrigger("t1 == complete");
        _tree.T2.AddTrigger("t3 == complete", ExpressionJoin.Or);
        Assert.Equal(
            ["t1 == complete (t1 is unknown)", "t3 == complete (t3 is unknown)"],
            ExpressionEvaluator.Explain(_tree.T2, _tree.T2.Trigger!));
    }
}
