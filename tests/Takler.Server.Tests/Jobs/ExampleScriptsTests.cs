using Takler.Server.Jobs;
using static Takler.Server.Tests.Jobs.JobTestSupport;

namespace Takler.Server.Tests.Jobs;

/// <summary>The getting-started head, tail and task1 scripts, run by bash against a fake takler_client.</summary>
public sealed class ExampleScriptsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _example = Path.Combine(RepositoryRoot(), "examples", "getting-started");
    private readonly LocalJobRunner _runner;

    public ExampleScriptsTests()
    {
        // The fake client notes who called it, then logs its arguments: a logged call has finished its side effects.
        _dir.WriteExecutable(
            "bin/takler_client",
            $"#!/bin/sh\necho \"$TAKLER_NAME $TAKLER_PASS\" > {_dir["identity.txt"]}\necho \"$*\" >> {ClientLog}\n");
        _runner = new LocalJobRunner(OptionsWithPath(_dir));
    }

    public void Dispose()
    {
        _runner.Dispose();
        _dir.Dispose();
    }

    private string ClientLog => _dir["takler_client.log"];

    private JobRequest RequestFor(string script) =>
        Request(_dir["home"], "/test/t1", ("TAKLER_SCRIPT", script));

    [Fact]
    public async Task Task1_reports_init_event_meters_and_complete()
    {
        var outcome = await _runner.SubmitAsync(RequestFor(Path.Combine(_example, "test", "task1.takler")), CancellationToken.None);

        Assert.True(outcome.Success, outcome.Reason);
        var log = await WaitForFileAsync(ClientLog, "complete\n");
        Assert.Equal(
            [$"init {outcome.Rid}", "event ready", "meter progress 1", "meter progress 2", "meter progress 3", "complete"],
            log.TrimEnd().Split('\n'));
        Assert.Equal("/test/t1 secret\n", File.ReadAllText(_dir["identity.txt"]));
        Assert.Contains("3 steps\nstep 1: fetch\n", File.ReadAllText(_dir["home/test/t1.1"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_command_aborts_once_with_its_line()
    {
        var script = _dir.Write("failing.takler", $$"""
            {% include "{{_example}}/include/head.takler" %}
            echo before
            false
            echo never
            {% include "{{_example}}/include/tail.takler" %}
            """);
        var falseLine = File.ReadAllLines(Path.Combine(_example, "include", "head.takler")).Length + 2;

        var outcome = await _runner.SubmitAsync(RequestFor(script), CancellationToken.None);

        Assert.True(outcome.Success, outcome.Reason);
        var log = await WaitForFileAsync(ClientLog, "abort");
        Assert.Equal([$"init {outcome.Rid}", $"abort --reason command failed at line {falseLine} of {_dir["home/test/t1.job1"]}"], log.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Exiting_before_the_tail_aborts()
    {
        var script = _dir.Write("early.takler", $"{{% include \"{_example}/include/head.takler\" %}}\nexit 0\n");

        await _runner.SubmitAsync(RequestFor(script), CancellationToken.None);

        var log = await WaitForFileAsync(ClientLog, "abort");
        Assert.EndsWith("abort --reason the job ended before takler_client complete\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killing_the_job_aborts_it()
    {
        var script = _dir.Write("long.takler", $"{{% include \"{_example}/include/head.takler\" %}}\nsleep 600\n{{% include \"{_example}/include/tail.takler\" %}}\n");
        var request = RequestFor(script);
        var submitted = await _runner.SubmitAsync(request, CancellationToken.None);
        await WaitForFileAsync(ClientLog, "init");

        // Kill once `sleep` runs: a signal that lands while bash forks a child can wait in bash until that child ends.
        var group = int.Parse(submitted.Rid!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await WaitUntilAsync(() => CommandsInGroup(group).Contains("sleep 600")), "the job reaches its sleep");
        var killed = await _runner.KillAsync(request with { Rid = submitted.Rid }, CancellationToken.None);

        Assert.True(killed.Success, killed.Reason);
        var log = await WaitForFileAsync(ClientLog, "abort");
        Assert.Equal([$"init {submitted.Rid}", "abort --reason killed by signal TERM"], log.TrimEnd().Split('\n'));
    }
}
