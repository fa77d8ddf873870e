using System.Diagnostics;
using System.Globalization;
using Takler.Server.Jobs;
using static Takler.Server.Tests.Jobs.JobTestSupport;

namespace Takler.Server.Tests.Jobs;

public sealed class LocalJobRunnerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly LocalJobRunner _runner;

    public LocalJobRunnerTests()
    {
        _runner = new LocalJobRunner(OptionsWithPath(_dir));
    }

    public void Dispose()
    {
        _runner.Dispose();
        _dir.Dispose();
    }

    private string Home => _dir["home"];

    [Fact]
    public async Task Submit_runs_the_job_in_the_background_with_its_variables_in_the_environment()
    {
        _dir.Write("home/f/t.takler", $$$"""
            #!/bin/sh
            echo "job {{ TAKLER_NAME }} try {{ TAKLER_TRY_NO }}"
            echo "$TAKLER_HOST $TAKLER_PORT $TAKLER_NAME $TAKLER_PASS $TAKLER_TRY_NO ${ECF_NAME:-no-ecf} $TAKLER_RID $$" > {{{_dir["done.txt"]}}}.tmp
            mv {{{_dir["done.txt"]}}}.tmp {{{_dir["done.txt"]}}}
            """);

        var outcome = await _runner.SubmitAsync(Request(Home, "/f/t"), CancellationToken.None);

        Assert.True(outcome.Success, outcome.Reason);
        var done = await WaitForFileAsync(_dir["done.txt"]);
        var fields = done.Trim().Split(' ');
        Assert.Equal(["localhost", "33083", "/f/t", "secret", "1", "no-ecf"], fields[..6]);
        Assert.Equal(outcome.Rid, fields[6]);
        Assert.Equal(outcome.Rid, fields[7]); // the default command execs into the job
        Assert.Equal("job /f/t try 1\n", await WaitForFileAsync(_dir["home/f/t.1"]));
    }

    [Fact]
    public async Task An_ecflow_script_also_gets_the_ECF_variables()
    {
        _dir.Write("home/t.ecf", $"#!/bin/sh\necho \"$ECF_HOST $ECF_PORT $ECF_NAME $ECF_PASS $ECF_TRYNO %ECF_NAME%\" > {_dir["done.txt"]}.tmp\nmv {_dir["done.txt"]}.tmp {_dir["done.txt"]}\n");

        var outcome = await _runner.SubmitAsync(Request(Home, "/t"), CancellationToken.None);

        Assert.True(outcome.Success, outcome.Reason);
        Assert.Equal("localhost 33083 /t secret 1 /t\n", await WaitForFileAsync(_dir["done.txt"]));
    }

    [Fact]
    public async Task Kill_ends_the_job_and_its_whole_process_group_and_status_shows_it_before()
    {
        _dir.Write("home/t.takler", $"#!/bin/sh\nsleep 600 &\necho $! > {_dir["child.pid"]}\nwait\n");

        var watch = Stopwatch.StartNew();
        var submitted = await _runner.SubmitAsync(Request(Home, "/t"), CancellationToken.None);
        Assert.True(submitted.Success, submitted.Reason);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "submit returns without waiting for the job");
        var jobPid = int.Parse(submitted.Rid!, CultureInfo.InvariantCulture);
        var childPid = int.Parse((await WaitForFileAsync(_dir["child.pid"])).Trim(), CultureInfo.InvariantCulture);
        Assert.False(IsGone(jobPid));
        Assert.False(IsGone(childPid));

        var status = await _runner.StatusAsync(Request(Home, "/t") with { Rid = submitted.Rid }, CancellationToken.None);
        Assert.True(status.Success, status.Reason);
        Assert.Contains(submitted.Rid!, status.Output, StringComparison.Ordinal);

        var killed = await _runner.KillAsync(Request(Home, "/t") with { Rid = submitted.Rid }, CancellationToken.None);

        Assert.True(killed.Success, killed.Reason);
        Assert.True(await WaitUntilAsync(() => IsGone(jobPid) && IsGone(childPid)), "the job and its sleep are gone");
    }

    [Fact]
    public async Task A_TAKLER_JOB_CMD_is_substituted_and_run_detached()
    {
        _dir.Write("home/t.takler", "#!/bin/sh\necho from job\n");
        var request = Request(Home, "/t", ("TAKLER_JOB_CMD", $"{{{{TAKLER_JOB}}}} > {_dir["custom.out"]} 2>&1"));

        var outcome = await _runner.SubmitAsync(request, CancellationToken.None);

        Assert.True(outcome.Success, outcome.Reason);
        Assert.Equal("from job\n", await WaitForFileAsync(_dir["custom.out"]));
    }

    [Fact]
    public async Task An_ECF_JOB_CMD_uses_percent_substitution()
    {
        _dir.Write("home/t.ecf", "#!/bin/sh\necho ecf job\n");
        var request = Request(Home, "/t", ("ECF_JOB_CMD", $"%ECF_JOB% 1> {_dir["ecf.out"]} 2>&1 &"));

        var outcome = await _runner.SubmitAsync(request, CancellationToken.None);

        Assert.True(outcome.Success, outcome.Reason);
        Assert.Equal("ecf job\n", await WaitForFileAsync(_dir["ecf.out"]));
    }

    [Fact]
    public async Task A_preprocessing_failure_fails_the_submission_with_the_script_line()
    {
        _dir.Write("home/t.takler", "#!/bin/sh\n{{ FOO }}\n");

        var outcome = await _runner.SubmitAsync(Request(Home, "/t"), CancellationToken.None);

        Assert.False(outcome.Success);
        Assert.Equal(JobErrorCode.PreprocessFailed, outcome.Error);
        Assert.EndsWith("t.takler:2: undefined variable FOO", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_script_fails_the_submission_with_no_script()
    {
        var outcome = await _runner.SubmitAsync(Request(Home, "/t"), CancellationToken.None);

        Assert.Equal(JobErrorCode.NoScript, outcome.Error);
        Assert.Equal($"no script: {Home}/t.takler, {Home}/t.ecf", outcome.Reason);
    }

    [Fact]
    public async Task An_undefined_variable_in_the_command_template_fails_the_submission()
    {
        _dir.Write("home/t.takler", "#!/bin/sh\n");

        var outcome = await _runner.SubmitAsync(Request(Home, "/t", ("TAKLER_JOB_CMD", "{{ NOPE }} {{TAKLER_JOB}}")), CancellationToken.None);

        Assert.Equal(JobErrorCode.CommandTemplateFailed, outcome.Error);
        Assert.Equal("TAKLER_JOB_CMD:1: undefined variable NOPE", outcome.Reason);
    }

    [Fact]
    public async Task A_shell_that_cannot_start_fails_the_submission()
    {
        _dir.Write("home/t.takler", "#!/bin/sh\n");
        using var runner = new LocalJobRunner(new JobRunnerOptions { Shell = _dir["no/such/shell"] });

        var outcome = await runner.SubmitAsync(Request(Home, "/t"), CancellationToken.None);

        Assert.Equal(JobErrorCode.CommandFailed, outcome.Error);
        Assert.StartsWith("submit command could not start: ", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_submitter_is_named_in_the_reason()
    {
        var outcome = await _runner.SubmitAsync(Request(Home, "/t", ("TAKLER_SUBMITTER", "lsf")), CancellationToken.None);

        Assert.Equal(JobErrorCode.UnknownSubmitter, outcome.Error);
        Assert.Equal("unknown TAKLER_SUBMITTER 'lsf' (known: local, slurm, pbs)", outcome.Reason);
    }

    [Fact]
    public async Task Kill_and_status_need_a_RID()
    {
        var killed = await _runner.KillAsync(Request(Home, "/t"), CancellationToken.None);
        var status = await _runner.StatusAsync(Request(Home, "/t", ("TAKLER_RID", "")), CancellationToken.None);

        Assert.Equal(JobErrorCode.NoRid, killed.Error);
        Assert.Equal(JobErrorCode.NoRid, status.Error);
    }

    [Fact]
    public async Task Kill_uses_the_RID_variable_and_ECF_KILL_CMD_when_set()
    {
        var request = Request(Home, "/t", ("TAKLER_RID", "4321"), ("ECF_KILL_CMD", $"echo kill %ECF_RID% > {_dir["kill.txt"]}"));

        var killed = await _runner.KillAsync(request, CancellationToken.None);

        Assert.True(killed.Success, killed.Reason);
        Assert.Equal("kill 4321\n", File.ReadAllText(_dir["kill.txt"]));
    }

    [Fact]
    public async Task Status_of_a_finished_job_fails_with_the_exit_status()
    {
        var status = await _runner.StatusAsync(Request(Home, "/t") with { Rid = "999999999" }, CancellationToken.None);

        Assert.False(status.Success);
        Assert.StartsWith("status command failed with exit status 1", status.Reason, StringComparison.Ordinal);
    }
}
