using Takler.Cli.Tests.TestSupport;
using Takler.Core.Visitors;

namespace Takler.Cli.Tests;

/// <summary>`show` prints Takler's JSON byte for byte as Takler's client does (fixtures' show.txt, show-all.txt).</summary>
public sealed class ShowPrinterTests
{
    public static TheoryData<string> Fixtures() => ["tutorial", "triggers", "limits", "repeat_time", "operations", "server_session"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Default_show_matches_Takler(string name)
    {
        var json = File.ReadAllText(SharedFiles.Compat($"{name}.json"));
        Assert.Equal(File.ReadAllText(SharedFiles.Compat($"{name}.show.txt")), ShowPrinter.ToText(json, new PrintOptions(), path: null));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Show_all_matches_Takler(string name)
    {
        var json = File.ReadAllText(SharedFiles.Compat($"{name}.json"));
        Assert.Equal(File.ReadAllText(SharedFiles.Compat($"{name}.show-all.txt")), ShowPrinter.ToText(json, PrintOptions.All, path: null));
    }

    [Fact]
    public void A_path_prints_only_that_subtree()
    {
        var json = File.ReadAllText(SharedFiles.Compat("server_session.json"));
        Assert.Equal("|- c1 [aborted]\n  |- t3 [aborted]\n", ShowPrinter.ToText(json, new PrintOptions(), "/demo/c1"));
    }

    [Fact]
    public void Colours_wrap_only_the_status()
    {
        var text = ShowPrinter.Colourise("|- demo [aborted]\n  |- t2 [suspend (submitted)]\n      event e1 [unset]\n");
        Assert.Equal("|- demo [\u001b[31maborted\u001b[0m]\n  |- t2 [\u001b[38;5;208msuspend (submitted)\u001b[0m]\n      event e1 [unset]\n", text);
    }

    [Theory]
    [InlineData(8180, "0:00:00.008180")]
    [InlineData(0, "0:00:00")]
    [InlineData(3_723_000_001, "1:02:03.000001")]
    public void Ping_time_is_a_python_timedelta(long micros, string expected) =>
        Assert.Equal(expected, PythonTimedelta.Format(TimeSpan.FromMicroseconds(micros)));
}
