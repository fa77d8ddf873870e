using Takler.Server.Jobs;
using static Takler.Server.Tests.Jobs.JobTestSupport;

namespace Takler.Server.Tests.Jobs;

/// <summary>The Slurm and PBS presets, against fake <c>sbatch</c>, <c>qsub</c>, ... first on PATH.</summary>
public sealed class JobSubmitterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public JobSubmitterTests()
    {
        _dir.Write("home/f/t.takler", "#!/bin/sh\necho {{ TAKLER_NAME }}\n");
    }

    public void Dispose() => _dir.Dispose();

    private string Home => _dir["home"];

    private string Log(string command) => File.ReadAllText(_dir[$"{command}.log"]);

    [Fact]
    public async Task Slurm_submits_with_sbatch_and_takes_the_job_id_as_RID()
    {
        FakeCommand(_dir, "sbatch", "echo '4242;cluster1'");
        using var runner = new LocalJobRunner(OptionsWithPath(_dir));

        var outcome = await runner.SubmitAsync(Request(Home, "/f/t", ("TAKLER_SUBMITTER", "slurm")), CancellationToken.None);

        Assert.True(outcome.Success, outcome.Reason);
        Assert.Equal("4242", outcome.Rid);
        Assert.Equal($"--parsable --output={Home}/f/t.1 {Home}/f/t.job1\n", Log("sbatch"));
        Assert.Equal("#!/bin/sh\necho /f/t\n", File.ReadAllText($"{Home}/f/t.job1"));
    }

    [Fact]
    public async Task Slurm_kills_with_scancel_and_asks_squeue_for_status()
    {
        FakeCommand(_dir, "scancel");
        FakeCommand(_dir, "squeue", "echo '  JOBID PARTITION NAME'; echo '   4242     batch t'");
        using var runner = new LocalJobRunner(OptionsWithPath(_dir));
        var request = Request(Home, "/f/t", ("TAKLER_SUBMITTER", "slurm")) with { Rid = "4242" };

        var killed = await runner.KillAsync(request, CancellationToken.None);
        var status = await runner.StatusAsync(request, CancellationToken.None);

        Assert.True(killed.Success, killed.Reason);
        Assert.Equal("4242\n", Log("scancel"));
        Assert.True(status.Success, status.Reason);
        Assert.Equal("-j 4242\n", Log("squeue"));
        Assert.Contains("4242     batch t", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pbs_submits_with_qsub_kills_with_qdel_and_asks_qstat()
    {
        FakeCommand(_dir, "qsub", "echo 77.pbs01");
        FakeCommand(_dir, "qdel");
        FakeCommand(_dir, "qstat", "echo 'Job Id: 77.pbs01'; echo '    job_state = R'");
        using var runner = new LocalJobRunner(OptionsWithPath(_dir));
        var request = Request(Home, "/f/t", ("TAKLER_SUBMITTER", "PBS"));

        var submitted = await runner.SubmitAsync(request, CancellationToken.None);
        var killed = await runner.KillAsync(request with { Rid = submitted.Rid }, CancellationToken.None);
        var status = await runner.StatusAsync(request with { Rid = submitted.Rid }, CancellationToken.None);

        Assert.True(submitted.Success, submitted.Reason);
        Assert.Equal("77.pbs01", submitted.Rid);
        Assert.Equal($"-j oe -o {Home}/f/t.1 {Home}/f/t.job1\n", Log("qsub"));
        Assert.True(killed.Success, killed.Reason);
        Assert.Equal("77.pbs01\n", Log("qdel"));
        Assert.Contains("job_state = R", status.Output, StringComparison.Ordinal);
        Assert.Equal("-f 77.pbs01\n", Log("qstat"));
    }

    [Fact]
    public async Task A_failing_submit_command_reports_its_exit_status_and_last_five_stderr_lines()
    {
        FakeCommand(_dir, "sbatch", "for i in 1 2 3 4 5 6 7; do echo \"error line $i\" >&2; done; echo partial; exit 3");
        using var runner = new LocalJobRunner(OptionsWithPath(_dir));

        var outcome = await runner.SubmitAsync(Request(Home, "/f/t", ("TAKLER_SUBMITTER", "slurm")), CancellationToken.None);

        Assert.False(outcome.Success);
        Assert.Equal(JobErrorCode.CommandFailed, outcome.Error);
        Assert.Equal(
            "submit command failed with exit status 3: error line 3; error line 4; error line 5; error line 6; error line 7",
            outcome.Reason);
    }

    [Fact]
    public async Task A_user_TAKLER_JOB_CMD_overrides_the_preset()
    {
        using var runner = new LocalJobRunner(OptionsWithPath(_dir));
        var request = Request(Home, "/f/t", ("TAKLER_SUBMITTER", "slurm"), ("TAKLER_JOB_CMD", "echo 'not found: sbatch' >&2; exit 127"));

        var outcome = await runner.SubmitAsync(request, CancellationToken.None);

        Assert.Equal("submit command failed with exit status 127: not found: sbatch", outcome.Reason);
    }

    [Fact]
    public async Task A_submit_command_that_hangs_is_killed_after_the_timeout()
    {
        FakeCommand(_dir, "sbatch", $"echo $$ > {_dir["sbatch.pid"]}; exec sleep 600");
        using var runner = new LocalJobRunner(OptionsWithPath(_dir, commandTimeout: TimeSpan.FromSeconds(1)));

        var outcome = await runner.SubmitAsync(Request(Home, "/f/t", ("TAKLER_SUBMITTER", "slurm")), CancellationToken.None);

        Assert.Equal(JobErrorCode.CommandTimedOut, outcome.Error);
        Assert.Equal("submit command timed out after 1 s", outcome.Reason);
        var pid = int.Parse(File.ReadAllText(_dir["sbatch.pid"]).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await WaitUntilAsync(() => IsGone(pid)), "the hung sbatch was killed");
    }

    [Fact]
    public async Task No_more_than_the_configured_number_of_submissions_run_at_once()
    {
        // Each fake sbatch notes how many are running beside it, then holds its slot until a release file appears.
        FakeCommand(_dir, "sbatch", $"""
            touch {_dir["running"]}/$$
            ls {_dir["running"]} | wc -l >> {_dir["concurrency.log"]}
            while [ ! -e {_dir["release"]} ]; do sleep 0.05; done
            rm {_dir["running"]}/$$
            echo $$
            """);
        Directory.CreateDirectory(_dir["running"]);
        using var runner = new LocalJobRunner(OptionsWithPath(_dir, maxConcurrent: 2));
        var requests = Enumerable.Range(0, 6)
            .Select(i => Request(Home, $"/f/t{i}", ("TAKLER_SUBMITTER", "slurm"), ("TAKLER_SCRIPT", $"{Home}/f/t.takler")))
            .ToList();

        var submissions = requests.Select(r => runner.SubmitAsync(r, CancellationToken.None)).ToList();
        Assert.True(await WaitUntilAsync(() => runner.SubmissionsInFlight == 2 && Directory.GetFiles(_dir["running"]).Length == 2));
        Assert.Equal(2, runner.SubmissionsInFlight);
        File.WriteAllText(_dir["release"], string.Empty);
        var outcomes = await Task.WhenAll(submissions);

        Assert.All(outcomes, o => Assert.True(o.Success, o.Reason));
        var counts = File.ReadAllLines(_dir["concurrency.log"]).Select(l => int.Parse(l.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(6, counts.Count);
        Assert.All(counts, c => Assert.InRange(c, 1, 2));
    }

    [Theory]
    [InlineData("slurm", "4242\n", "4242")]
    [InlineData("slurm", "4242;cluster\n", "4242")]
    [InlineData("slurm", "Submitted batch job 4242\n", "4242")]
    [InlineData("pbs", "77.pbs01\n", "77.pbs01")]
    [InlineData("pbs", "", null)]
    [InlineData("local", "noise\n12345\n", "12345")]
    public void The_RID_is_read_from_the_submit_output(string submitter, string output, string? rid) =>
        Assert.Equal(rid, JobSubmitter.Find(submitter)!.ParseRid(output));
}
