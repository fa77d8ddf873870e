using Takler.Core.Definitions;
using Takler.Core.Nodes;

namespace Takler.Core.Tests.Definitions;

public sealed class DefsCheckerTests
{
    [Fact]
    public void A_trigger_on_a_missing_node_is_an_error_at_the_reference()
    {
        var defs = DefsReader.Parse("suite s\n  task a\n  task b\n    trigger a == complete and z == complete\nendsuite", "t.def");

        var error = Assert.Single(DefsChecker.Check(defs));
        Assert.Equal(
            "t.def:4:31: trigger 'a == complete and z == complete' of /s/b: cannot find node 'z' (relative paths start at /s)",
            error.ToString());
        Assert.Equal("/s/b", error.NodePath);
    }

    [Fact]
    public void Extern_paths_may_be_referenced_without_existing()
    {
        var defs = DefsReader.Parse("""
            extern /x/y
            extern /x/y/z:ev
            suite s
              task t
                trigger /x/y == complete and /x/y/z:ev
                complete /x/y/z == complete
            endsuite
            """);

        var error = Assert.Single(DefsChecker.Check(defs));
        Assert.Contains("cannot find node '/x/y/z' (and it is not declared 'extern /x/y/z')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_paths_resolve_from_the_parent_then_from_the_node()
    {
        var defs = DefsReader.Parse("""
            suite other
              edit V 1
            endsuite
            suite s
              family f1
                trigger g/t == complete and ./f2 == complete
                family g
                  task t
                    trigger ../../f2/u == complete and ../../../other:V == 1
                endfamily
              endfamily
              family f2
                task u
              endfamily
            endsuite
            """);

        Assert.Empty(DefsChecker.Check(defs));
    }

    [Theory]
    [InlineData("a:ev", true)]
    [InlineData("a:1 == set", true)]
    [InlineData("a:m ge 2", true)]
    [InlineData("a:V == 1", true)]
    [InlineData("a:R_YYYY == 2024", true)]
    [InlineData("a:TASK == 1 and ../s/a:ECF_TRYNO > 0", true)]
    [InlineData("/s:ECF_DATE > 1 and /s:lim < 2", true)]
    [InlineData(":R > 1 and :W > 1", false)]
    [InlineData("a:nothing == 1", false)]
    [InlineData("a:R_HOUR == 1", false)]
    public void Attribute_references_must_name_something_the_node_has(string expression, bool valid)
    {
        var defs = DefsReader.Parse($"""
            suite s
              limit lim 1
              task a
                event 1 ev
                meter m 0 9
                edit V 1
                repeat date R 20240101 20240105
              task b
                trigger {expression}
            endsuite
            """);

        var errors = DefsChecker.Check(defs).Where(d => d.IsError).ToList();
        Assert.True(valid == (errors.Count == 0), string.Join('\n', errors));
    }

    [Fact]
    public void Parent_variables_are_found_on_the_node_and_its_ancestors()
    {
        var defs = DefsReader.Parse("suite s\n  edit S 1\n  family f\n    repeat integer I 1 3\n    task t\n      edit T 1\n      trigger :S == 1 and :I > 1 and :T == 1 and :FAMILY1 == 1\n  endfamily\nendsuite");

        Assert.Empty(DefsChecker.Check(defs));
    }

    [Fact]
    public void An_inlimit_naming_a_missing_limit_is_a_warning()
    {
        var defs = DefsReader.Parse("suite s\n  limit l 1\n  task t\n    inlimit l\n    inlimit m\n    inlimit /s:n\n    inlimit /nowhere:l\nendsuite", "l.def");

        var warnings = DefsChecker.Check(defs);
        Assert.All(warnings, w => Assert.Equal(DiagnosticSeverity.Warning, w.Severity));
        Assert.Equal(
            ["l.def:5:13: warning: inlimit m of /s/t: no limit named 'm' on this node or above it",
             "l.def:6:13: warning: inlimit /s:n of /s/t: /s has no limit named 'n'",
             "l.def:7:13: warning: inlimit /nowhere:l of /s/t: cannot find node '/nowhere'"],
            warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Autorestore_must_name_distinct_suites_or_families()
    {
        var defs = DefsReader.Parse("suite s\n  family f\n    autorestore ./g ./g/t /s/g /nowhere\n  endfamily\n  family g\n    task t\n  endfamily\nendsuite");

        Assert.Equal(
            ["autorestore of /s/f: './g/t' is a task; only suites and families can be restored",
             "autorestore of /s/f: '/s/g' names /s/g a second time",
             "autorestore of /s/f: cannot find node '/nowhere'"],
            DefsChecker.Check(defs).Select(d => d.Message));
    }

    [Fact]
    public void ThrowIfInvalid_lists_every_error_and_returns_the_warnings()
    {
        var bad = DefsReader.Parse("suite s\n  task t\n    trigger x == complete\n    complete y == complete\nendsuite", "e.def");
        var ex = Assert.Throws<DefinitionException>(() => DefsChecker.ThrowIfInvalid(bad));
        Assert.Equal(2, ex.Diagnostics.Count);
        Assert.StartsWith("e.def:3:13: trigger 'x == complete'", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("(and 1 more errors)", ex.Message, StringComparison.Ordinal);

        var good = DefsReader.Parse("suite s\n  task t\n    inlimit x\nendsuite");
        Assert.Single(DefsChecker.ThrowIfInvalid(good));
    }

    [Fact]
    public void A_definition_built_in_code_can_be_checked()
    {
        var flow = new Flow("s");
        flow.AddTask("a");
        flow.AddTask("b").AddTrigger("a == complete and c == complete");

        var error = Assert.Single(DefsChecker.Check(new DefsFile([flow])));
        Assert.Contains("cannot find node 'c'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lookups_work_in_families_with_many_children()
    {
        var text = "suite s\n  family f\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"    task t{i}\n")) +
                   "    task last\n      trigger t39 == complete and /s/f/t20 == complete\n  endfamily\nendsuite";

        Assert.Empty(DefsChecker.Check(DefsReader.Parse(text)));
    }
}
