using System.Globalization;
using Takler.Core;
using Takler.Core.Nodes;
using Takler.Core.Scheduling;
using Takler.Scheduling.Benchmarks;
using Task = Takler.Core.Nodes.Task;

// One flow of 100,000 tasks: families of 50, each task triggered by its previous sibling.
// Triggers are the real expression language (TreeExpressionEvaluator, as the server's engine uses it).
// Measures one full "what may run now" pass, and the incremental pass after one task completes.
var quick = args.Contains("--quick");
const int Families = 2_000;
const int TasksPerFamily = 50;
var fullRuns = quick ? 5 : 30;
var incrementalRuns = quick ? 500 : 5_000;

var now = new DateTimeOffset(2024, 1, 8, 9, 0, 0, TimeSpan.Zero);
var clock = new FixedTimeProvider(now);
var bunch = new Bunch();
var flow = bunch.AddFlow(new Flow("f"));
for (var f = 0; f < Families; f++)
{
    var family = flow.AddFamily($"fam{f}");
    for (var t = 0; t < TasksPerFamily; t++)
    {
        var task = family.AddTask($"t{t}");
        if (t > 0)
        {
            task.AddTrigger($"t{t - 1} == complete");
        }
    }
}

var operations = new Operations(bunch, clock);
var scheduler = new Scheduler(bunch, new TreeExpressionEvaluator(bunch), clock);

var mark = ThreadClock.Now();
operations.Begin("f");
var begin = ThreadClock.Since(mark);

mark = ThreadClock.Now();
var pass = scheduler.FullPass(now);
var first = ThreadClock.Since(mark);
Check(pass.Submittable.Count == Families, $"first pass offers {pass.Submittable.Count} tasks, expected {Families}");

var rebuilds = new List<(double WallMs, double CpuMs)>();
for (var i = 0; i < (quick ? 2 : 5); i++)
{
    mark = ThreadClock.Now();
    scheduler.Rebuild();
    rebuilds.Add(ThreadClock.Since(mark));
}

var full = new List<(double WallMs, double CpuMs)>();
for (var i = 0; i < fullRuns; i++)
{
    mark = ThreadClock.Now();
    pass = scheduler.FullPass(now);
    full.Add(ThreadClock.Since(mark));
    Check(pass.Submittable.Count == Families, "full pass result changed");
}

// Start every offered task, as the engine would; then let one task after another complete, one family after another.
foreach (var task in pass.Submittable)
{
    operations.Submit(task, "pw");
    operations.Init(task.Path, "job");
}

scheduler.IncrementalPass(now);
var incremental = new List<(double WallMs, double CpuMs)>();
var completeAndPass = new List<(double WallMs, double CpuMs)>();
var evaluated = 0;
var running = flow.Children.Select(c => (Task)c.Children[0]).ToArray();
for (var i = 0; i < incrementalRuns; i++)
{
    var slot = i % Families;
    var task = running[slot];
    var family = (NodeContainer)task.Parent!;
    var next = family.FindChild($"t{int.Parse(task.Name.AsSpan(1), CultureInfo.InvariantCulture) + 1}") as Task;
    if (next is null)
    {
        break;
    }

    var start = ThreadClock.Now();
    operations.CompleteTask(task.Path);
    var afterComplete = ThreadClock.Now();
    pass = scheduler.IncrementalPass(now);
    incremental.Add(ThreadClock.Since(afterComplete));
    completeAndPass.Add(ThreadClock.Since(start));
    evaluated = Math.Max(evaluated, pass.Evaluated);
    Check(pass.Submittable.Count == 1 && pass.Submittable[0] == next, $"after {task.Path} completed, expected only {next.Path}");
    operations.Submit(next, "pw");
    operations.Init(next.Path, "job");
    scheduler.IncrementalPass(now);
    running[slot] = next;
}

var cpu = ThreadClock.Available ? "thread CPU" : "thread CPU n/a";
Console.WriteLine(Invariant($"tree: 1 flow, {Families} families x {TasksPerFamily} tasks = {Families * TasksPerFamily} tasks, each triggered by its previous sibling"));
Console.WriteLine(Invariant($"{"",-44} {"wall",12} {cpu,14}"));
Row("begin (requeue of the whole tree)", [begin], "ms");
Row("first full pass (builds the index)", [first], "ms");
Row($"index rebuild, median of {rebuilds.Count}", rebuilds, "ms");
Row($"full pass, median of {full.Count}", full, "ms");
Row($"full pass, best of {full.Count}", [(full.Min(r => r.WallMs), full.Min(r => r.CpuMs))], "ms");
Row($"incremental pass, median of {incremental.Count}", incremental, "us");
Row($"incremental pass, p99", [(Percentile(incremental.Select(r => r.WallMs), 0.99), Percentile(incremental.Select(r => r.CpuMs), 0.99))], "us");
Row($"complete command + incremental pass, median", completeAndPass, "us");
Console.WriteLine(Invariant($"nodes evaluated by an incremental pass: at most {evaluated}"));
var fullMs = ThreadClock.Available ? Median(full.Select(r => r.CpuMs)) : Median(full.Select(r => r.WallMs));
var incrementalMs = ThreadClock.Available ? Median(incremental.Select(r => r.CpuMs)) : Median(incremental.Select(r => r.WallMs));
Console.WriteLine(Invariant($"targets ({(ThreadClock.Available ? "thread CPU" : "wall")} medians): full pass < 50 ms: {(fullMs < 50 ? "met" : "MISSED")} ({fullMs:F2} ms); incremental < 0.1 ms: {(incrementalMs < 0.1 ? "met" : "MISSED")} ({incrementalMs * 1000:F1} us)"));
return 0;

static void Row(string what, List<(double WallMs, double CpuMs)> runs, string unit)
{
    var scale = unit == "us" ? 1000 : 1;
    var wall = Median(runs.Select(r => r.WallMs)) * scale;
    var cpuTime = Median(runs.Select(r => r.CpuMs)) * scale;
    Console.WriteLine(Invariant($"{what,-44} {wall,9:F2} {unit} {cpuTime,11:F2} {unit}"));
}

static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

static double Percentile(IEnumerable<double> values, double p)
{
    var sorted = values.Order().ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}

static void Check(bool condition, string message)
{
    if (!condition)
    {
        throw new InvalidOperationException(message);
    }
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
