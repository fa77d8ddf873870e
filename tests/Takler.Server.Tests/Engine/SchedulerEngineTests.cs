using Takler.Core.Nodes;
using Takler.Server.Hosting;
using Task = System.Threading.Tasks.Task;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Tests.Engine;

public class SchedulerEngineTests
{
    private static readonly DateTimeOffset TenOClock = new(2024, 1, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_time_dependency_wakes_the_idle_loop_at_its_instant_and_not_before()
    {
        var clock = new ManualClock(TenOClock);
        var jobs = new RecordingJobRunner();
        await using var server = new TaklerServer(Options(), jobs, clock);
        var flow = new Flow("f");
        flow.AddTask(new TaskNode("t")).AddTime("10:30");
        server.Bunch.AddFlow(flow);
        await server.StartAsync();
        await server.Engine.ExecuteAsync("begin", c => c.Operations.Begin("f"));

        clock.Advance(TimeSpan.FromMinutes(29));
        await server.Engine.ExecuteAsync("sync", _ => true); // the loop has seen 10:29
        Assert.False(jobs.TryNext(out _));

        clock.Advance(TimeSpan.FromMinutes(1)); // 10:30: the timer fires and wakes the loop; no command arrives
        var job = await jobs.NextSubmissionAsync();
        Assert.Equal("/f/t", job.TaskPath);
    }

    [Fact]
    public async Task A_command_bringing_an_earlier_instant_re_arms_the_wake_up()
    {
        var clock = new ManualClock(TenOClock);
        var jobs = new RecordingJobRunner();
        await using var server = new TaklerServer(Options(), jobs, clock);
        await server.StartAsync();
        await server.Engine.ExecuteAsync("sync", _ => true); // idle, armed for the hourly pass

        await server.Engine.ExecuteAsync("add", c =>
        {
            var flow = new Flow("late");
            flow.AddTask(new TaskNode("t")).AddTime("10:05");
            c.Bunch.AddFlow(flow);
            c.Operations.Begin("late");
            return true;
        });
        Assert.False(jobs.TryNext(out _));

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("/late/t", (await jobs.NextSubmissionAsync()).TaskPath);
    }

    [Fact]
    public async Task The_periodic_pass_runs_every_interval_on_an_idle_server()
    {
        var clock = new ManualClock(TenOClock);
        await using var server = new TaklerServer(Options(), new RecordingJobRunner(), clock);
        var passes = 0;
        using var third = new SemaphoreSlim(0);
        server.Engine.BatchApplied += () =>
        {
            if (Interlocked.Increment(ref passes) == 3)
            {
                third.Release();
            }
        };
        await server.StartAsync();
        await server.Engine.ExecuteAsync("sync", _ => true); // pass 1 at start, then this command's batch

        clock.Advance(TimeSpan.FromHours(1));
        Assert.True(await third.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, server.Engine.CommandsApplied); // the timer's wake-ups are not commands
    }

    private static TaklerServerOptions Options() => new() { Port = 0, LoopbackOnly = true, Interval = TimeSpan.FromHours(1) };
}
