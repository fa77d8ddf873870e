using Takler.Cli.Tests.TestSupport;

namespace Takler.Cli.Tests;

/// <summary>Commands that need no server: check and completion.</summary>
public sealed class LocalCommandTests
{
    [Fact]
    public async Task Check_accepts_a_good_def()
    {
        var result = await CliProcess.RunAsync(["check", SharedFiles.Defs("good_defs/event/event_1.def")]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("OK\n", result.Stdout);
    }

    [Fact]
    public async Task Check_reports_a_bad_def_with_file_line_and_column()
    {
        var file = SharedFiles.Defs("bad_defs/event/event_1.def");
        var result = await CliProcess.RunAsync(["check", file]);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(file)}:\d+:\d+: \S", result.Stdout);
    }

    [Fact]
    public async Task Check_reads_Takler_json_and_print_writes_def_text()
    {
        var result = await CliProcess.RunAsync(["check", "--print", SharedFiles.Compat("tutorial.load.json")]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("suite test", result.Stdout.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bash_completion_completes_a_command_name_and_an_option()
    {
        var script = await CliProcess.RunAsync(["completion", "bash"]);
        Assert.Equal(0, script.ExitCode);
        var file = Path.Combine(Directory.CreateTempSubdirectory("takler-completion").FullName, "takler_client.bash");
        await File.WriteAllTextAsync(file, script.Stdout);

        var probe = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        probe.ArgumentList.Add("-c");
        probe.ArgumentList.Add($"source '{file}'; complete -p takler_client; "
            + "COMP_WORDS=(takler_client pi); COMP_CWORD=1; _takler_client; echo \"1:${COMPREPLY[*]}\"; "
            + "COMP_WORDS=(takler_client show --show-a); COMP_CWORD=2; _takler_client; echo \"2:${COMPREPLY[*]}\"; "
            + "COMP_WORDS=(takler_client force sub); COMP_CWORD=2; _takler_client; echo \"3:${COMPREPLY[*]}\"");
        using var bash = System.Diagnostics.Process.Start(probe)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync();

        Assert.Contains("complete -F _takler_client takler_client\n", output, StringComparison.Ordinal);
        Assert.Contains("1:ping\n", output, StringComparison.Ordinal);
        Assert.Contains("2:--show-all\n", output, StringComparison.Ordinal);
        Assert.Contains("3:submitted\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zsh", "compdef _takler_client takler_client")]
    [InlineData("fish", "complete -c takler_client -n __fish_use_subcommand -a ping")]
    [InlineData("pwsh", "Register-ArgumentCompleter -Native -CommandName takler_client")]
    public async Task Completion_scripts_for_other_shells(string shell, string marker)
    {
        var result = await CliProcess.RunAsync(["completion", shell]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(marker, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_of_an_unknown_shell_is_a_usage_error()
    {
        var result = await CliProcess.RunAsync(["completion", "tcsh"]);
        Assert.Equal(2, result.ExitCode);
    }
}
