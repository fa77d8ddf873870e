using System.Runtime.Versioning;
using Takler.Server.Jobs;
using static Takler.Server.Tests.Jobs.JobTestSupport;

namespace Takler.Server.Tests.Jobs;

[UnsupportedOSPlatform("windows")]
public sealed class JobGeneratorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly JobGenerator _generator = new();

    public void Dispose() => _dir.Dispose();

    private JobVariables VarsFor(string path, params (string Name, string Value)[] extra) =>
        new(Dict([("TAKLER_HOME", _dir["home"]), ("TAKLER_JOB", $"{_dir["jobs"]}{path}.job1"), ("TAKLER_JOBOUT", $"{_dir["out"]}{path}.1"), .. extra]));

    [Fact]
    public void Writes_the_job_file_with_mode_0700_creating_its_folders()
    {
        _dir.Write("home/f1/f2/t.takler", "#!/bin/sh\necho {{ TAKLER_JOB }}\n");

        var generation = _generator.Generate("/f1/f2/t", VarsFor("/f1/f2/t"));

        Assert.True(generation.Success, generation.Reason);
        var job = _dir["jobs/f1/f2/t.job1"];
        Assert.Equal(job, generation.JobPath);
        Assert.Equal($"#!/bin/sh\necho {job}\n", File.ReadAllText(job));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(job));
        Assert.True(Directory.Exists(_dir["out/f1/f2"]), "the output folder is created too");
    }

    [Fact]
    public void An_existing_job_file_is_replaced_and_gets_mode_0700()
    {
        _dir.Write("home/t.ecf", "echo %TAKLER_TRY_NO:0%\n");
        var job = _dir.Write("jobs/t.job1", "old content that is longer than the new one\n");
        File.SetUnixFileMode(job, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var generation = _generator.Generate("/t", VarsFor("/t"));

        Assert.True(generation.Success, generation.Reason);
        Assert.Equal("echo 0\n", File.ReadAllText(job));
        Assert.Equal(JobGenerator.JobFileMode, File.GetUnixFileMode(job));
    }

    [Fact]
    public void No_script_fails_with_the_paths_tried()
    {
        var generation = _generator.Generate("/f/t", VarsFor("/f/t"));

        Assert.Equal(JobErrorCode.NoScript, generation.Error);
        Assert.Equal($"no script: {_dir["home/f/t.takler"]}, {_dir["home/f/t.ecf"]}", generation.Reason);
    }

    [Fact]
    public void A_preprocessing_error_writes_no_job_file()
    {
        _dir.Write("home/t.takler", "echo {{ NOPE }}\n");

        var generation = _generator.Generate("/t", VarsFor("/t"));

        Assert.Equal(JobErrorCode.PreprocessFailed, generation.Error);
        Assert.EndsWith("t.takler:1: undefined variable NOPE", generation.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["jobs/t.job1"]));
    }

    [Fact]
    public void Without_TAKLER_JOB_there_is_nowhere_to_write()
    {
        _dir.Write("home/t.takler", "echo\n");

        var generation = _generator.Generate("/t", Vars(("TAKLER_HOME", _dir["home"])));

        Assert.Equal(JobErrorCode.NoJobPath, generation.Error);
    }

    [Fact]
    public void An_edited_include_is_seen_by_the_next_job()
    {
        _dir.Write("home/t.takler", "{% include \"inc.takler\" %}\n");
        var include = _dir.Write("home/inc.takler", "first\n");
        Assert.True(_generator.Generate("/t", VarsFor("/t")).Success);

        File.WriteAllText(include, "second, longer\n");
        var generation = _generator.Generate("/t", VarsFor("/t"));

        Assert.True(generation.Success, generation.Reason);
        Assert.Equal("second, longer\n", File.ReadAllText(generation.JobPath!));
    }
}
