using Takler.Core.Attributes;
using Takler.Core.Definitions;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Definitions;

public sealed class DefsReaderTests
{
    [Fact]
    public void Suites_families_and_tasks_become_flows_families_and_tasks_in_order()
    {
        var defs = DefsReader.Parse("""
            suite s1
              family f
                task t1
                task t2
                endtask
                family g
                endfamily
              endfamily
              task t3
            endsuite
            suite s2
            endsuite
            """);

        Assert.Equal(["s1", "s2"], defs.Flows.Select(f => f.Name));
        var f = Assert.IsType<Family>(defs.Flows[0].Children[0]);
        Assert.Equal(["t1", "t2", "g"], f.Children.Select(c => c.Name));
        Assert.IsType<Task>(f.Children[0]);
        Assert.IsType<Family>(f.Children[2]);
        Assert.Equal("/s1/t3", defs.Flows[0].Children[1].Path);
    }

    [Fact]
    public void Edit_variables_become_parameters_in_order_with_their_quotes_removed()
    {
        var defs = DefsReader.Parse("""
            suite s
              edit ECF_HOME /home/x   # unquoted
              edit A 'one two'
              edit B "it's"
              edit C ''
              edit D a b  c
              edit A again
            endsuite
            """);

        var parameters = defs.Flows[0].Parameters;
        Assert.Equal(["ECF_HOME", "A", "B", "C", "D"], parameters.Select(p => p.Name));
        Assert.Equal(["/home/x", "again", "it's", string.Empty, "a b c"], parameters.Select(p => p.Value));
    }

    [Fact]
    public void Semicolons_separate_statements_except_inside_quotes()
    {
        var defs = DefsReader.Parse("suite s; family f; task t; label l \"a; b\"; endfamily; endsuite");

        var task = defs.Flows[0].Children[0].Children[0];
        Assert.Equal("a; b", task.Labels[0].DefaultText);
    }

    [Fact]
    public void A_hash_starts_a_comment_only_at_the_start_of_a_word()
    {
        var defs = DefsReader.Parse("""
            suite s # comment; task ignored
              edit X '#'  # a comment
              task t
                label l a#b
            endsuite
            """, "c.def");

        Assert.Equal("#", defs.Flows[0].Parameters[0].Value);
        Assert.Single(defs.Flows[0].Children);
        Assert.Equal("a#b", defs.Flows[0].Children[0].Labels[0].DefaultText);
    }

    [Fact]
    public void A_backslash_at_the_end_of_a_line_continues_a_trigger()
    {
        var defs = DefsReader.Parse("""
            suite s
              task a
              task b
              task c
                trigger a == complete and \
                        b == complete and\
                  a == complete
            endsuite
            """);

        Assert.Equal("a == complete and b == complete and a == complete", defs.Flows[0].Children[2].Trigger!.Text);
    }

    [Fact]
    public void Trigger_and_complete_continuations_keep_their_join()
    {
        var defs = DefsReader.Parse("""
            suite s
              task a
              task b
                trigger a == complete
                trigger -a a == active
                trigger -o   a  ==  aborted
                complete a == complete
            endsuite
            """);

        var trigger = defs.Flows[0].Children[1].Trigger!;
        Assert.Equal([ExpressionJoin.None, ExpressionJoin.And, ExpressionJoin.Or], trigger.Parts.Select(p => p.Join));
        Assert.Equal("a == aborted", trigger.Parts[2].Text);
        Assert.Equal("a == complete", defs.Flows[0].Children[1].Complete!.Text);
    }

    [Fact]
    public void A_missing_endfamily_names_where_the_family_was_opened()
    {
        var ex = Assert.Throws<DefinitionException>(() => DefsReader.Parse("""
            suite s1
              family f1
                task t
            suite s2
            endsuite
            """, "bad.def"));

        Assert.Equal("bad.def:4:1: expected 'endfamily' for family f1 opened at line 2 but found 'suite'", ex.Message);
        var d = Assert.Single(ex.Diagnostics);
        Assert.Equal((4, 1, "/s1/f1/t"), (d.Line, d.Column, d.NodePath));
        Assert.Equal(TaklerErrorCode.UnsupportedValue, ex.Code);
    }

    [Theory]
    [InlineData("date 29.2.2023", 3, 10, "29.2.2023")]
    [InlineData("time 10:00 25:00 00:30", 3, 16, "25:00")]
    [InlineData("time 10:00 11:00 02:00", 3, 22, "longer than")]
    [InlineData("meter m 10 0", 3, 11, "min 10 is greater than max 0")]
    [InlineData("cron -w 0,7 10:00", 3, 13, "7 is outside 0..6")]
    [InlineData("repeat date YMD 20240101 20240230", 3, 30, "20240230 is not a valid date")]
    [InlineData("late -s +00:10 -s +00:20", 3, 20, "late -s is given twice")]
    [InlineData("event 1 e\n    event e", 4, 11, "already has a event named e")]
    [InlineData("trigger -a 1 == 1", 3, 13, "the first trigger of a node cannot have -a")]
    [InlineData("zombie ecf:bogus::", 3, 12, "invalid zombie action 'bogus'")]
    [InlineData("inlimit -n -s l", 3, 5, "both -n")]
    public void Bad_values_are_reported_at_the_offending_token(string attribute, int line, int column, string message)
    {
        var ex = Assert.Throws<DefinitionException>(() => DefsReader.Parse($"suite s\n  task t\n    {attribute}\nendsuite\n", "x.def"));

        var d = Assert.Single(ex.Diagnostics);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (d.Line, d.Column));
    }

    [Fact]
    public void Duplicate_sibling_names_are_rejected_naming_both_lines()
    {
        var ex = Assert.Throws<DefinitionException>(() => DefsReader.Parse("suite s\n  task t\n  family t\n  endfamily\nendsuite", "d.def"));

        Assert.Equal("d.def:3:10: /s already has a task named 't' at line 2; names must be unique among siblings", ex.Message);
    }

    [Theory]
    [InlineData("suite s\n  time 10:00\nendsuite", "'time' is not allowed on a suite")]
    [InlineData("suite s\n  trigger 1 == 1\nendsuite", "'trigger' is not allowed on a suite")]
    [InlineData("suite s\n  task t\n    clock real\nendsuite", "'clock' is only allowed on a suite")]
    [InlineData("suite s\n  repeat integer i 1 2\n  repeat integer j 1 2\nendsuite", "already has a repeat (i)")]
    [InlineData("suite s\n  cron 10:00\n  repeat day 1\nendsuite", "cannot have both a cron and a repeat")]
    [InlineData("edit X 1", "'edit' must be inside a suite")]
    [InlineData("suite s\n  extern /a\nendsuite", "'extern' must come before or between suites")]
    [InlineData("suite s\n  bogus 1\nendsuite", "unknown keyword 'bogus'")]
    [InlineData("suite s\n  repeat month 1\nendsuite", "repeat month is not supported")]
    [InlineData("suite s\nendsuite\nsuite s\nendsuite", "a suite named 's' is already defined at line 1")]
    public void Attributes_in_the_wrong_place_are_rejected(string text, string message)
    {
        var ex = Assert.Throws<DefinitionException>(() => DefsReader.Parse(text));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attributes_without_behaviour_are_kept_verbatim()
    {
        var defs = DefsReader.Parse("""
            suite s
              task t
                autocancel +01:00   # comment
                zombie ecf:fob:init:100
                aviso --name A --listener '{ "event": "mars" }' --polling 20
                mirror --name m --remote_path /s1/f1/t1 --ssl
                generic a b c
                repeat file filename fred.txt
            endsuite
            """);

        var kept = defs.Flows[0].Children[0].KeptAttributes;
        Assert.Equal(
            ["autocancel +01:00", "zombie ecf:fob:init:100", "aviso --name A --listener '{ \"event\": \"mars\" }' --polling 20",
             "mirror --name m --remote_path /s1/f1/t1 --ssl", "generic a b c", "repeat file filename fred.txt"],
            kept.Select(k => k.ToString()));
    }

    [Fact]
    public void Events_take_a_number_a_name_or_both_and_an_initial_state()
    {
        var defs = DefsReader.Parse("suite s\n  task t\n    event 1\n    event a\n    event 2 b set\n    event 3 set\n    event c clear\nendsuite");

        var events = defs.Flows[0].Children[0].Events;
        Assert.Equal([(1, ""), (null, "a"), (2, "b"), (3, ""), (null, "c")], events.Select(e => (e.Number, e.Name)));
        Assert.Equal([false, false, true, true, false], events.Select(e => e.InitialValue));
    }

    [Fact]
    public void Cron_reads_last_week_days_and_lists_with_blanks()
    {
        var defs = DefsReader.Parse("suite s\n  task t\n    cron -w 0 , 1, 5L -d 1,L -m 5, 6 10:00 20:00 01:00\nendsuite");

        var cron = defs.Flows[0].Children[0].Crons[0];
        Assert.Equal([0, 1], cron.WeekDays);
        Assert.Equal([5], cron.LastWeekDays);
        Assert.True(cron.LastDayOfMonth);
        Assert.Equal([5, 6], cron.Months);
        Assert.Equal("cron -w 0,1,5L -d 1,L -m 5,6 10:00 20:00 01:00", cron.ToString());
        Assert.True(cron.MatchesDay(new DateOnly(2024, 5, 31)));
        Assert.False(cron.MatchesDay(new DateOnly(2024, 5, 24)));
    }

    [Fact]
    public void Clock_and_endclock_are_read_on_a_suite()
    {
        var defs = DefsReader.Parse("suite s\n  clock hybrid 20.1.2006 +02:00\n  endclock 23.1.2006\nendsuite");

        var flow = defs.Flows[0];
        Assert.Equal(new ClockAttribute(true, new DateOnly(2006, 1, 20), TimeSpan.FromHours(2), true), flow.Clock);
        Assert.Equal(new DateOnly(2006, 1, 23), flow.EndClock!.StartDate);
        Assert.True(flow.EndClock.Hybrid);
    }

    [Fact]
    public void Every_repeat_kind_is_read()
    {
        var defs = DefsReader.Parse("""
            suite s
              task a
                repeat integer I 0 10 2
              task b
                repeat date D 20240101 20240110
              task c
                repeat datelist L 20240101 "20240301"
              task d
                repeat enumerated E 'x' "y" z
              task e
                repeat string S a b
              task f
                repeat day 2
              task g
                repeat datetime T 20000101T000000 20000105T000000 12
            endsuite
            """);

        var repeats = defs.Flows[0].Children.Select(c => c.Repeat!.DefinitionText);
        Assert.Equal(
            ["integer I 0 10 2", "date D 20240101 20240110 1", "datelist L \"20240101\" \"20240301\"", "enumerated E \"x\" \"y\" \"z\"",
             "string S \"a\" \"b\"", "day 2", "datetime T 20000101T000000 20000105T000000 12:00:00"],
            repeats);
    }

    [Fact]
    public void A_state_file_restores_statuses_and_values()
    {
        var defs = DefsReader.Parse("""
            #5.9.2
            defs_state STATE state>:queued flag:message
            edit ECF_HOME '/tmp/ecf' # server
            history /s1/f/a MSG:[18:24:24 22.11.2026] --force=complete /s1/f/a
            suite s1 # begun:1 state:active
              repeat integer r 0 10 2 # 4
              limit lim 2 # 1 /s1/f/a
              calendar initTime:2006-Jan-20 02:00:00 suiteTime:2006-Jan-20 02:00:00
              family f # state:active
                task a # try:2 state:active rid:1234
                  label l "hello" # "new val"
                  meter m 0 100 50 # 30
                  event 1 ev # set
                  event e2 set # clear
                task b # state:queued suspended:1
                  trigger a == complete # free
              endfamily
            endsuite
            """);

        Assert.Equal("STATE", defs.StateStyle);
        Assert.Equal([("ECF_HOME", "/tmp/ecf")], defs.ServerParameters.Select(p => (p.Name, p.Value)));
        var flow = defs.Flows[0];
        Assert.True(flow.Begun);
        Assert.Equal(NodeStatus.Active, flow.Status);
        Assert.Equal("4", flow.Repeat!.ValueText);
        Assert.Equal(1, flow.Limits[0].Value);
        var a = (Task)flow.Children[0].Children[0];
        Assert.Equal((NodeStatus.Active, 2, "1234"), (a.Status, a.TryNo, a.TaskId));
        Assert.Equal("new val", a.Labels[0].Text);
        Assert.Equal(30, a.Meters[0].Value);
        Assert.Equal([true, false], a.Events.Select(e => e.Value));
        var b = flow.Children[0].Children[1];
        Assert.True(b.Suspended);
        Assert.True(b.Trigger!.Free);
    }

    [Fact]
    public void Comments_are_not_state_in_a_plain_definition()
    {
        var defs = DefsReader.Parse("suite s\n  repeat integer r 0 10 # 5\n  task t # state:complete\n    meter m 0 9 # 3\nendsuite");

        Assert.Equal(0, defs.Flows[0].Repeat!.Position);
        Assert.Equal(NodeStatus.Unknown, defs.Flows[0].Children[0].Status);
        Assert.Equal(0, defs.Flows[0].Children[0].Meters[0].Value);
        Assert.False(defs.IsState);
    }

    [Fact]
    public void Alias_blocks_in_a_task_are_kept_with_their_lines()
    {
        var defs = DefsReader.Parse("suite s\n  task t\n    alias a0\n      edit name:1 '1'\n    endalias\n  task u\nendsuite");

        var alias = Assert.Single(defs.Flows[0].Children[0].KeptAttributes);
        Assert.Equal(("alias", "a0"), (alias.Keyword, alias.Arguments));
        Assert.Equal(["edit name:1 '1'"], alias.Lines!);
        Assert.Equal(2, defs.Flows[0].Children.Count);
    }

    [Fact]
    public void Endsuite_closes_open_families_with_a_warning()
    {
        var defs = DefsReader.Parse("suite s\n  family f\n    task t\nendsuite", "w.def");

        var warning = Assert.Single(DefsChecker.Check(defs));
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("w.def:4:1: warning: 'endsuite' closes family /s/f opened at line 2 without its 'endfamily'", warning.ToString());
    }

    [Fact]
    public void A_file_may_end_without_its_closing_keywords()
    {
        var defs = DefsReader.Parse("suite s\n  family f\n    task t");

        Assert.Equal("/s/f/t", defs.Flows[0].Children[0].Children[0].Path);
    }

    [Fact]
    public void Windows_line_ends_are_read()
    {
        var defs = DefsReader.Parse("suite s\r\n  edit A 'x'\r\n  task t\r\n    trigger 1 == 1 \\\r\n      and 2 == 2\r\nendsuite\r\n");

        Assert.Equal("x", defs.Flows[0].Parameters[0].Value);
        Assert.Equal("1 == 1 and 2 == 2", defs.Flows[0].Children[0].Trigger!.Text);
    }

    [Fact]
    public void Positions_of_nodes_and_expressions_are_known()
    {
        var defs = DefsReader.Parse("suite s\n  task a\n  task b\n     trigger a == complete\nendsuite");

        var b = defs.Flows[0].Children[1];
        Assert.Equal(new SourcePosition(3, 3), defs.PositionOf(b));
        Assert.Equal(new SourcePosition(4, 14), defs.PositionOf(b.Trigger!.Parts[0]));
    }
}
