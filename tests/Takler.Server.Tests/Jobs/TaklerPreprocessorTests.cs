using Takler.Server.Jobs;
using static Takler.Server.Tests.Jobs.JobTestSupport;

namespace Takler.Server.Tests.Jobs;

public sealed class TaklerPreprocessorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private PreprocessResult Run(string script, JobVariables? variables = null, string name = "task.takler") =>
        TaklerPreprocessor.Process(_dir.Write(name, script), variables ?? Vars(("A", "alpha"), ("B_2", "beta")));

    [Fact]
    public void Substitutes_variables_with_or_without_spaces_inside_the_braces()
    {
        var result = Run("{{A}} {{ A }} {{\tB_2\t}} {{  A}}x\n");

        Assert.True(result.Success, result.Reason);
        Assert.Equal("alpha alpha beta alphax\n", result.Text);
    }

    [Fact]
    public void Bash_and_jinja_lookalikes_pass_through_untouched()
    {
        const string script = """
            #!/bin/bash
            arr=(a b c)
            echo "${#arr[@]} ${arr[@]:1} ${!arr[@]}"
            {# not a comment #}
            echo "{%" "%}" "{% if x %}" "{%include%}" '{% include %}'
            echo {{ 1 }} {{ A | upper }} {{}} {{ A B }} {{ A.b }} }} {{
            awk '{ print $1 }' <<< "x"; f() { { echo nested; }; }
            echo {{
            A }}
            """;

        var result = Run(script + "\n");

        Assert.True(result.Success, result.Reason);
        Assert.Equal(script + "\n", result.Text);
    }

    [Fact]
    public void An_undefined_variable_is_reported_with_file_and_line_never_substituted_empty()
    {
        var result = Run("#!/bin/bash\necho {{ A }}\necho {{ FOO }}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(_dir["task.takler"], error.File);
        Assert.Equal(3, error.Line);
        Assert.EndsWith("task.takler:3: undefined variable FOO", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_is_collected_into_one_reason()
    {
        var result = Run("{{ X1 }}\n\n{% include \"nope.takler\" %}\n{{ X2 }}\n");

        Assert.Equal([1, 3, 4], result.Errors.Select(e => e.Line));
        Assert.Contains("task.takler:1: undefined variable X1; ", result.Reason, StringComparison.Ordinal);
        Assert.Contains("task.takler:3: include \"nope.takler\" not found", result.Reason, StringComparison.Ordinal);
        Assert.EndsWith("task.takler:4: undefined variable X2", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_is_replaced_by_the_preprocessed_file_without_its_final_newline()
    {
        _dir.Write("head.takler", "#!/bin/bash\necho head {{ A }}\n");
        _dir.Write("tail.takler", "echo tail\n");

        var result = Run("{% include \"head.takler\" %}\necho body\n{%include 'tail.takler'%}\n");

        Assert.True(result.Success, result.Reason);
        Assert.Equal("#!/bin/bash\necho head alpha\necho body\necho tail\n", result.Text);
    }

    [Fact]
    public void Includes_are_searched_in_the_including_folder_the_script_folder_then_TAKLER_INCLUDE()
    {
        _dir.Write("inc1/only1.takler", "one\n");
        _dir.Write("inc2/both.takler", "from inc2\n");
        _dir.Write("inc1/both.takler", "from inc1\n");
        _dir.Write("both2.takler", "from script folder\n");
        _dir.Write("inc2/both2.takler", "from inc2\n");
        _dir.Write("inc2/nested.takler", "{% include \"sibling.takler\" %}\n");
        _dir.Write("inc2/sibling.takler", "sibling in inc2\n");
        var variables = Vars(("TAKLER_INCLUDE", $"{_dir["inc1"]}::{_dir["inc2"]}"));

        var result = Run(
            "{% include \"only1.takler\" %}\n{% include \"both.takler\" %}\n{% include \"both2.takler\" %}\n{% include \"nested.takler\" %}\n",
            variables);

        Assert.True(result.Success, result.Reason);
        Assert.Equal("one\nfrom inc1\nfrom script folder\nsibling in inc2\n", result.Text);
    }

    [Fact]
    public void A_missing_include_names_the_file_the_line_and_every_path_tried()
    {
        var result = Run("echo\n  {% include \"missing.takler\" %}\n", Vars(("TAKLER_INCLUDE", _dir["inc"])));

        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Equal($"include \"missing.takler\" not found (tried {_dir["missing.takler"]}, {_dir["inc/missing.takler"]})", error.Message);
    }

    [Fact]
    public void An_include_cycle_is_reported_with_the_chain_and_line()
    {
        _dir.Write("a.takler", "a\n{% include \"b.takler\" %}\n");
        _dir.Write("b.takler", "b\n\n{% include \"a.takler\" %}\n");

        var result = Run("{% include \"a.takler\" %}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(_dir["b.takler"], error.File);
        Assert.Equal(3, error.Line);
        Assert.Equal($"include cycle: {_dir["task.takler"]} -> {_dir["a.takler"]} -> {_dir["b.takler"]} -> {_dir["a.takler"]}", error.Message);
    }

    [Fact]
    public void Errors_inside_an_include_name_the_included_file_and_its_line()
    {
        _dir.Write("head.takler", "ok\n\n{{ MISSING }}\n");

        var result = Run("{% include \"head.takler\" %}\n");

        Assert.EndsWith("head.takler:3: undefined variable MISSING", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Raw_blocks_pass_verbatim_and_lose_their_tags()
    {
        var result = Run("{% raw %}{{ A }} {% include \"x\" %}{% endraw %} {{ A }}\n");

        Assert.True(result.Success, result.Reason);
        Assert.Equal("{{ A }} {% include \"x\" %} alpha\n", result.Text);
    }

    [Fact]
    public void Command_templates_substitute_variables_but_not_includes()
    {
        var result = TaklerPreprocessor.SubstituteText("{{A}} {% include \"x\" %} {{ NOPE }}", "TAKLER_JOB_CMD", Vars(("A", "a")));

        Assert.Equal("a {% include \"x\" %} ", result.Text);
        Assert.Equal("TAKLER_JOB_CMD:1: undefined variable NOPE", result.Reason);
    }

    [Fact]
    public void Ecf_names_fall_back_to_their_Takler_twins()
    {
        var result = Run("{{ ECF_HOME }} {{ TAKLER_TRY_NO }}\n", Vars(("TAKLER_HOME", "/h"), ("ECF_TRYNO", "2")));

        Assert.Equal("/h 2\n", result.Text);
    }
}
