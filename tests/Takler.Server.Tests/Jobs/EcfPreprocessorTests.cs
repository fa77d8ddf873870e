using Takler.Server.Jobs;
using static Takler.Server.Tests.Jobs.JobTestSupport;

namespace Takler.Server.Tests.Jobs;

public sealed class EcfPreprocessorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private PreprocessResult Run(string script, params (string Name, string Value)[] variables) =>
        EcfPreprocessor.Process(_dir.Write("suite/t1.ecf", script), Vars(variables));

    [Fact]
    public void Substitutes_variables_defaults_and_double_micro()
    {
        var result = Run("echo %A% %MISSING:fallback% %A:unused% %EMPTY:% date +%%Y%%m%%d\n", ("A", "alpha"));

        Assert.True(result.Success, result.Reason);
        Assert.Equal("echo alpha fallback alpha  date +%Y%m%d\n", result.Text);
    }

    [Fact]
    public void A_line_may_start_with_a_variable()
    {
        var result = Run("%A% is first\n%%not a directive\n", ("A", "alpha"));

        Assert.Equal("alpha is first\n%not a directive\n", result.Text);
    }

    [Fact]
    public void Angle_include_searches_each_ECF_INCLUDE_folder_then_ECF_HOME()
    {
        _dir.Write("inc2/head.h", "head from inc2 %A%\n");
        _dir.Write("home/tail.h", "tail from home\n");
        _dir.Write("inc1/x.h", "x from inc1\n");
        _dir.Write("inc2/x.h", "x from inc2\n");

        var result = Run(
            "%include <head.h>\n%include <x.h>\nbody\n%include <tail.h>\n",
            ("A", "alpha"), ("ECF_INCLUDE", $"{_dir["inc1"]}:{_dir["inc2"]}"), ("ECF_HOME", _dir["home"]));

        Assert.True(result.Success, result.Reason);
        Assert.Equal("head from inc2 alpha\nx from inc1\nbody\ntail from home\n", result.Text);
    }

    [Fact]
    public void Angle_include_falls_back_to_the_Takler_twins_of_ECF_INCLUDE_and_ECF_HOME()
    {
        _dir.Write("inc/head.h", "head\n");

        var result = Run("%include <head.h>\n", ("TAKLER_INCLUDE", _dir["inc"]));

        Assert.Equal("head\n", result.Text);
    }

    [Fact]
    public void Quoted_include_is_relative_to_the_script_folder_then_ECF_HOME_SUITE_FAMILY()
    {
        _dir.Write("suite/local.h", "local\n");
        _dir.Write("up.h", "up\n");
        _dir.Write("home/s/f1/f2/fam.h", "family\n");

        var result = Run(
            "%include \"local.h\"\n%include \"./local.h\"\n%include \"../up.h\"\n%include \"fam.h\"\n",
            ("ECF_HOME", _dir["home"]), ("SUITE", "s"), ("FAMILY", "f1/f2"));

        Assert.True(result.Success, result.Reason);
        Assert.Equal("local\nlocal\nup\nfamily\n", result.Text);
    }

    [Fact]
    public void Bare_include_takes_the_name_as_written()
    {
        var absolute = _dir.Write("abs/file.h", "absolute\n");

        var result = Run($"%include {absolute}\n");

        Assert.Equal("absolute\n", result.Text);
    }

    [Fact]
    public void Include_names_may_contain_variables()
    {
        _dir.Write("inc/model_12.h", "twelve\n");

        var result = Run("%include <model_%HH%.h>\n", ("ECF_INCLUDE", _dir["inc"]), ("HH", "12"));

        Assert.Equal("twelve\n", result.Text);
    }

    [Fact]
    public void Includenopp_inserts_the_file_without_preprocessing()
    {
        _dir.Write("inc/raw.pl", "printf(\"%d%%\\n\", %NOT_A_VAR%);\n%include <nothing.h>\n%comment");

        var result = Run("%includenopp <raw.pl>\nafter %A%\n", ("ECF_INCLUDE", _dir["inc"]), ("A", "a"));

        Assert.True(result.Success, result.Reason);
        Assert.Equal("printf(\"%d%%\\n\", %NOT_A_VAR%);\n%include <nothing.h>\n%comment\nafter a\n", result.Text);
    }

    [Fact]
    public void Includeonce_includes_a_file_once_and_skips_later_includes_of_it()
    {
        _dir.Write("inc/once.h", "once\n");

        var result = Run(
            "%includeonce <once.h>\n%includeonce <once.h>\n%include <once.h>\nend\n", ("ECF_INCLUDE", _dir["inc"]));

        Assert.True(result.Success, result.Reason);
        Assert.Equal("once\nend\n", result.Text);
    }

    [Fact]
    public void Comment_and_manual_blocks_are_dropped_and_nopp_passes_verbatim()
    {
        const string script = """
            before
            %comment
            %UNDEFINED% in a comment
            %end
            %manual
            The manual: %ALSO_UNDEFINED% %include <nothing.h>
            %end
            %nopp
            date +%Y%m%d %A%

            xend
            %comment
            %end
            after %A%
            """;

        var result = Run(script + "\n", ("A", "a"));

        Assert.True(result.Success, result.Reason);
        Assert.Equal("before\ndate +%Y%m%d %A%\n\nxend\n%comment\nafter a\n", result.Text);
    }

    [Fact]
    public void Ecfmicro_changes_the_micro_character_for_directives_and_variables()
    {
        _dir.Write("inc/x.h", "included ^A^ 100%\n");

        var result = Run(
            "%ecfmicro ^\n^include <x.h>\necho ^A^ %A% ^^\n^ecfmicro %\necho %A% ^A^\n", ("ECF_INCLUDE", _dir["inc"]), ("A", "a"));

        Assert.True(result.Success, result.Reason);
        Assert.Equal("included a 100%\necho a %A% ^\necho a ^A^\n", result.Text);
    }

    [Fact]
    public void ECF_MICRO_sets_the_initial_micro_character()
    {
        var result = Run("echo &A& 50%\n", ("ECF_MICRO", "&"), ("A", "a"));

        Assert.Equal("echo a 50%\n", result.Text);
    }

    [Fact]
    public void An_undefined_variable_is_reported_with_file_and_line()
    {
        var result = Run("#!/bin/sh\n\necho %FOO%\n");

        Assert.EndsWith("t1.ecf:3: undefined variable FOO", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_micro_is_an_error_except_in_a_shell_comment()
    {
        var result = Run("echo ok # 50% done\necho 50%\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.StartsWith("lone '%'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_include_and_a_cycle_are_reported_with_their_lines()
    {
        _dir.Write("inc/a.h", "a\n%include <b.h>\n");
        _dir.Write("inc/b.h", "%include <a.h>\n");

        var result = Run("%include <a.h>\n%include <nope.h>\n", ("ECF_INCLUDE", _dir["inc"]));

        Assert.Equal(2, result.Errors.Count);
        Assert.Equal((_dir["inc/b.h"], 1), (result.Errors[0].File, result.Errors[0].Line));
        Assert.Equal($"include cycle: {_dir["suite/t1.ecf"]} -> {_dir["inc/a.h"]} -> {_dir["inc/b.h"]} -> {_dir["inc/a.h"]}", result.Errors[0].Message);
        Assert.Equal(2, result.Errors[1].Line);
        Assert.Equal($"%include <nope.h>: file not found (tried {_dir["inc/nope.h"]})", result.Errors[1].Message);
    }

    [Fact]
    public void Unbalanced_blocks_and_unknown_directives_are_errors()
    {
        var result = Run("%end\n%includes <x>\n%comment\nnever closed\n");

        Assert.Equal(
            ["t1.ecf:1: %end without %comment, %manual or %nopp", "t1.ecf:2: unknown directive '%includes <x>'", "t1.ecf:3: %comment without %end"],
            result.Errors.Select(e => $"{Path.GetFileName(e.File)}:{e.Line}: {e.Message}"));
    }

    [Fact]
    public void Values_that_refer_to_variables_are_substituted_again_and_self_reference_is_an_error()
    {
        var result = Run("%CMD%\n%LOOP%\n", ("CMD", "%JOB% > %OUT%"), ("JOB", "/j"), ("OUT", "/o"), ("LOOP", "x%LOOP%"));

        Assert.StartsWith("/j > /o\n", result.Text, StringComparison.Ordinal);
        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("variable LOOP", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_templates_use_percent_substitution()
    {
        var result = EcfPreprocessor.SubstituteText("%ECF_JOB% 1> %ECF_JOBOUT% 2>&1", "ECF_JOB_CMD", Vars(("TAKLER_JOB", "/j.job1"), ("TAKLER_JOBOUT", "/j.1")));

        Assert.True(result.Success, result.Reason);
        Assert.Equal("/j.job1 1> /j.1 2>&1", result.Text);
    }
}
