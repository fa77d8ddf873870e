namespace Takler.Cli.Tests;

/// <summary>The fast path of child commands accepts Takler's option forms and the short forms, and declines the rest.</summary>
public sealed class ChildCommandLineTests
{
    [Theory]
    [InlineData("init --task-id j1 --node-path /f/t", "init", "/f/t", "j1", null)]
    [InlineData("init j1 --node-path=/f/t", "init", "/f/t", "j1", null)]
    [InlineData("init --node-path /f/t", "init", "/f/t", null, null)]
    [InlineData("complete --node-path /f/t --host h --port 1", "complete", "/f/t", null, null)]
    [InlineData("abort --node-path /f/t --reason boom", "abort", "/f/t", "boom", null)]
    [InlineData("abort --node-path /f/t it went wrong", "abort", "/f/t", "it went wrong", null)]
    [InlineData("event --node-path /f/t --event-name e1", "event", "/f/t", "e1", null)]
    [InlineData("event e1 --node-path /f/t", "event", "/f/t", "e1", null)]
    [InlineData("meter --node-path /f/t --meter-name m --meter-value 5", "meter", "/f/t", "m", "5")]
    [InlineData("meter m 5 --node-path /f/t", "meter", "/f/t", "m", "5")]
    [InlineData("meter --node-path /f/t -- m -1", "meter", "/f/t", "m", "-1")]
    [InlineData("label l half way --node-path /f/t", "label", "/f/t", "l", "half way")]
    [InlineData("label --label-name l --label-value x --node-path /f/t", "label", "/f/t", "l", "x")]
    public void Accepts_both_forms(string line, string command, string path, string? name, string? value)
    {
        Assert.True(ChildCommandLine.TryParse(line.Split(' '), out var parsed));
        Assert.Equal(command, parsed.Command);
        Assert.Equal(path, parsed.NodePath);
        Assert.Equal(name, parsed.Name);
        Assert.Equal(value, parsed.Value);
    }

    [Theory]
    [InlineData("event --help --node-path /f/t")]
    [InlineData("event -h --node-path /f/t")]
    [InlineData("event --node-path /f/t")]
    [InlineData("event a b --node-path /f/t")]
    [InlineData("meter m --node-path /f/t")]
    [InlineData("complete extra --node-path /f/t")]
    [InlineData("init --bogus 1 --node-path /f/t")]
    [InlineData("init --node-path")]
    [InlineData("ping")]
    [InlineData("show")]
    public void Declines_what_the_full_parser_must_report(string line) =>
        Assert.False(ChildCommandLine.TryParse(line.Split(' '), out _));

    [Fact]
    public void Resolution_reports_the_missing_option_by_Takler_name()
    {
        Assert.Equal("Missing option '--event-name'.", ChildInvocation.Resolve("event", null, null, [], out _, out _));
        Assert.Equal("Missing option '--meter-value'.", ChildInvocation.Resolve("meter", null, null, ["m"], out _, out _));
        Assert.Equal("Got unexpected extra argument (x)", ChildInvocation.Resolve("complete", null, null, ["x"], out _, out _));
    }
}
