using Takler.Server.Jobs;
using static Takler.Server.Tests.Jobs.JobTestSupport;

namespace Takler.Server.Tests.Jobs;

public sealed class ScriptLocatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TAKLER_SCRIPT_wins_over_every_other_location()
    {
        var script = _dir.Write("anywhere/my.sh", "echo\n");
        _dir.Write("home/f/t.takler", "echo\n");

        var location = ScriptLocator.Locate("/f/t", Vars(("TAKLER_SCRIPT", script), ("TAKLER_HOME", _dir["home"])));

        Assert.Equal(script, location.Path);
        Assert.Equal(ScriptDialect.Takler, location.Dialect);
    }

    [Fact]
    public void A_missing_TAKLER_SCRIPT_is_not_looked_for_elsewhere()
    {
        _dir.Write("home/f/t.takler", "echo\n");

        var location = ScriptLocator.Locate("/f/t", Vars(("TAKLER_SCRIPT", _dir["nope.takler"]), ("TAKLER_HOME", _dir["home"])));

        Assert.False(location.Found);
        Assert.Equal($"no script: {_dir["nope.takler"]}", location.NoScriptReason);
    }

    [Fact]
    public void TAKLER_FILES_comes_before_TAKLER_HOME_and_takler_before_ecf()
    {
        _dir.Write("home/f/t.takler", "echo\n");
        _dir.Write("files/f/t.ecf", "echo\n");
        _dir.Write("files2/f/t.takler", "echo\n");
        _dir.Write("files2/f/t.ecf", "echo\n");

        Assert.Equal(_dir["files/f/t.ecf"], ScriptLocator.Locate("/f/t", Vars(("TAKLER_FILES", _dir["files"]), ("TAKLER_HOME", _dir["home"]))).Path);
        Assert.Equal(_dir["files2/f/t.takler"], ScriptLocator.Locate("/f/t", Vars(("TAKLER_FILES", _dir["files2"]))).Path);
        Assert.Equal(_dir["home/f/t.takler"], ScriptLocator.Locate("/f/t", Vars(("TAKLER_HOME", _dir["home"] + "/"))).Path);
    }

    [Fact]
    public void ECF_FILES_is_searched_dropping_leading_path_segments_with_ECF_EXTN()
    {
        _dir.Write("ecffiles/fc/model.sms", "echo\n");

        var location = ScriptLocator.Locate("/o/12/fc/model", Vars(("ECF_FILES", _dir["ecffiles"]), ("ECF_EXTN", ".sms")));

        Assert.Equal(_dir["ecffiles/fc/model.sms"], location.Path);
        Assert.Equal(ScriptDialect.Ecf, location.Dialect);
        Assert.Equal([_dir["ecffiles/o/12/fc/model.sms"], _dir["ecffiles/12/fc/model.sms"], _dir["ecffiles/fc/model.sms"]], location.Tried);
    }

    [Fact]
    public void No_script_lists_every_path_tried_in_order()
    {
        var location = ScriptLocator.Locate(
            "/s/t", Vars(("TAKLER_FILES", "/files"), ("TAKLER_HOME", "/home"), ("ECF_FILES", "/ecf"), ("ECF_HOME", "/ehome")));

        Assert.False(location.Found);
        Assert.Equal(
            "no script: /files/s/t.takler, /files/s/t.ecf, /home/s/t.takler, /home/s/t.ecf, /ecf/s/t.ecf, /ecf/t.ecf, /ehome/s/t.ecf",
            location.NoScriptReason);
    }

    [Theory]
    [InlineData("/a/t.takler", ".ecf", ScriptDialect.Takler)]
    [InlineData("/a/t.ecf", ".ecf", ScriptDialect.Ecf)]
    [InlineData("/a/t.sh", ".ecf", ScriptDialect.Takler)]
    [InlineData("/a/t.sms", ".sms", ScriptDialect.Ecf)]
    public void The_dialect_follows_the_extension(string path, string ecfExtension, ScriptDialect dialect) =>
        Assert.Equal(dialect, ScriptLocator.DialectOf(path, ecfExtension));
}
