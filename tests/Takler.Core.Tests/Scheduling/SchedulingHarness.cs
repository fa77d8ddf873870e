using System.Globalization;
using Takler.Core.Nodes;
using Takler.Core.Scheduling;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Scheduling;

/// <summary>A bunch, operations and a scheduler on a hand-moved clock (UTC unless told), with a small job simulator.</summary>
public sealed class SchedulingHarness
{
    public SchedulingHarness(string start = "2024-01-08 09:00", TimeZoneInfo? zone = null)
    {
        Clock = new ManualTimeProvider(Instant(start, zone), zone);
        Bunch = new Bunch();
        Ops = new Operations(Bunch, Clock);
        Evaluator = new CountingEvaluator(Bunch);
        Scheduler = new Scheduler(Bunch, Evaluator, Clock);
    }

    private Scheduler? _shadow;

    public ManualTimeProvider Clock { get; }

    public Bunch Bunch { get; }

    public Operations Ops { get; }

    public CountingEvaluator Evaluator { get; }

    public Scheduler Scheduler { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>`yyyy-MM-dd HH:mm[:ss]` as an instant (local time of the zone).</summary>
    public static DateTimeOffset Instant(string text, TimeZoneInfo? zone = null)
    {
        var local = DateTime.ParseExact(text, ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None);
        return FlowClock.LocalToInstant(local, zone ?? TimeZoneInfo.Utc);
    }

    public Flow AddFlow(string name = "f") => Bunch.AddFlow(new Flow(name));

    public void Begin(string? flow = null) => Ops.Begin(flow);

    public void At(string text) => Clock.Set(Instant(text, Clock.LocalTimeZone));

    public SchedulingPass Pass() => Scheduler.IncrementalPass(Now);

    public SchedulingPass FullPass() => Scheduler.FullPass(Now);

    public IReadOnlyList<string> Why(Node node) => Scheduler.Why(node, Now);

    /// <summary>The paths a pass would submit.</summary>
    public IReadOnlyList<string> Runnable() => Pass().Submittable.Select(t => t.Path).ToList();

    /// <summary>Submits and starts the task (submitted, then active).</summary>
    public void Start(Task task)
    {
        Ops.Submit(task, "pw");
        Ops.Init(task.Path, "job");
    }

    public void Complete(Task task) => Ops.CompleteTask(task.Path);

    public void Abort(Task task, string reason = "failed") => Ops.Abort(task.Path, reason);

    /// <summary>Runs a pass and starts everything it offers; returns their paths.</summary>
    public IReadOnlyList<string> StartAll()
    {
        var pass = Pass();
        foreach (var task in pass.Submittable)
        {
            Start(task);
        }

        return pass.Submittable.Select(t => t.Path).ToList();
    }

    /// <summary>
    /// Runs the flow like an engine that only wakes at <see cref="SchedulingPass.NextChange"/> or when a job ends:
    /// every task offered starts at once and completes after <paramref name="jobDuration"/>. Returns each start as
    /// `path@yyyy-MM-dd HH:mm` and checks, at every step, that the incremental pass agrees with a full pass of a
    /// second scheduler over the same tree.
    /// </summary>
    public List<string> Simulate(string until, TimeSpan jobDuration, Func<Task, bool>? aborts = null, int maxSteps = 20_000)
    {
        var end = Instant(until, Clock.LocalTimeZone);
        var running = new List<(DateTimeOffset At, Task Task)>();
        var starts = new List<string>();
        for (var step = 0; step < maxSteps; step++)
        {
            foreach (var (at, task) in running.Where(r => r.At <= Now).OrderBy(r => r.At).ToList())
            {
                running.Remove((at, task));
                if (aborts?.Invoke(task) == true)
                {
                    Abort(task);
                }
                else
                {
                    Complete(task);
                }
            }

            var pass = Pass();
            _shadow ??= new Scheduler(Bunch, Evaluator, Clock);
            var full = _shadow.FullPass(Now);
            Assert.Equal(pass.Submittable.Select(t => t.Path), full.Submittable.Select(t => t.Path));
            Assert.Equal(pass.NextChange, full.NextChange);
            foreach (var task in pass.Submittable)
            {
                Start(task);
                starts.Add($"{task.Path}@{TimeZoneInfo.ConvertTime(Now, Clock.LocalTimeZone):yyyy-MM-dd HH:mm}");
                running.Add((Now + jobDuration, task));
            }

            DateTimeOffset? next = full.NextChange;
            foreach (var (at, _) in running)
            {
                next = next is { } n && n <= at ? n : at;
            }

            if (next is not { } wake || wake > end)
            {
                return starts;
            }

            Assert.True(wake > Now || pass.Submittable.Count > 0 || full.CompletedByExpression.Count > 0, $"the engine would spin at {Now:O}");
            if (wake > Now)
            {
                Clock.Set(wake);
            }
        }

        throw new InvalidOperationException("simulation did not settle");
    }
}
