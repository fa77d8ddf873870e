using System.Diagnostics;
using System.Globalization;
using Takler.Core.Definitions;
using Takler.Defs.Benchmarks;

// Reads, checks and writes a generated 100,000-task ecFlow definition and reports times and memory.
//   dotnet run -c Release --project bench/Takler.Defs.Benchmarks [-- --quick] [--tasks N] [--file PATH] [--keep]
//   dotnet bench/Takler.Defs.Benchmarks/bin/Release/net10.0/Takler.Defs.Benchmarks.dll --load-only PATH
// --quick: 10,000 tasks and one warm run; --file: where to write the definition (default: a temp file), --keep: keep it;
// --load-only: only load and check an existing file once, and exit (to time the whole process, as `ecflow_client --load`).

if (Option("--load-only") is { } only)
{
    var pauseBefore = GC.GetTotalPauseDuration();
    var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    var loaded = DefsReader.Load(only);
    var parsed = watch.Elapsed;
    var problems = DefsChecker.Check(loaded).Count(d => d.IsError);
    var elapsed = watch.Elapsed;
    var paused = GC.GetTotalPauseDuration() - pauseBefore;
    var allocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - bytesBefore;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

    // No forced collection here: the process is timed as a whole, like ecflow_client, so it does only the load.
    Console.WriteLine(FormattableString.Invariant(
        $"load-only       {elapsed.TotalSeconds:F3} s parse+check in process, {cpu.TotalSeconds:F3} s CPU (parse {parsed.TotalSeconds:F3} s, GC pauses {paused.TotalSeconds:F3} s, {allocatedBytes / 1e6:F0} MB allocated), {problems} errors, RSS {Rss() / 1e6:F1} MB, GC heap {GC.GetTotalMemory(false) / 1e6:F1} MB"));
    GC.KeepAlive(loaded);
    return problems == 0 ? 0 : 1;
}

var quick = args.Contains("--quick");
var tasks = Option("--tasks") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : quick ? 10_000 : 100_000;
var path = Option("--file") ?? Path.Combine(Path.GetTempPath(), $"takler-bench-{tasks}.def");
var warmRuns = quick ? 1 : 5;

using (var file = new StreamWriter(path))
{
    DefsGenerator.Generate(tasks, file);
}

var size = new FileInfo(path).Length;
Collect();
var baselineRss = Rss();
var baselineHeap = GC.GetTotalMemory(forceFullCollection: true);

// First (cold) load: includes JIT, as a server loading a file at start-up would see.
var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
var clock = Stopwatch.StartNew();
var defs = DefsReader.Load(path);
var parseCold = clock.Elapsed;
var diagnostics = DefsChecker.Check(defs);
var loadCold = clock.Elapsed;
if (diagnostics.Any(d => d.IsError))
{
    Console.Error.WriteLine(string.Join('\n', diagnostics.Take(10)));
    return 1;
}

var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
var gcCold = (GC.CollectionCount(0) - gcBefore.Item1, GC.CollectionCount(1) - gcBefore.Item2, GC.CollectionCount(2) - gcBefore.Item3,
    GC.GetTotalPauseDuration() - gcBefore.Item4);
Collect();
var heap = GC.GetTotalMemory(forceFullCollection: true) - baselineHeap;
var rss = Rss();

clock.Restart();
using (var writer = new StreamWriter(path + ".out"))
{
    DefsWriter.Write(defs, writer);
}

var writeCold = clock.Elapsed;
var nodes = defs.Flows.Sum(f => f.SelfAndDescendants().Count());

// Warm runs: the best of several, the reader's steady-state speed.
var parseWarm = TimeSpan.MaxValue;
var loadWarm = TimeSpan.MaxValue;
var writeWarm = TimeSpan.MaxValue;
GC.KeepAlive(defs);
defs = null!;
for (var i = 0; i < warmRuns; i++)
{
    Collect();
    clock.Restart();
    var again = DefsReader.Load(path);
    var parsed = clock.Elapsed;
    DefsChecker.Check(again);
    var loaded = clock.Elapsed;
    clock.Restart();
    using (var writer = new StreamWriter(path + ".out"))
    {
        DefsWriter.Write(again, writer);
    }

    var written = clock.Elapsed;
    parseWarm = Min(parseWarm, parsed);
    loadWarm = Min(loadWarm, loaded);
    writeWarm = Min(writeWarm, written);
}

Console.WriteLine(FormattableString.Invariant($"file            {path} ({size / 1e6:F1} MB, {tasks} tasks, {nodes} nodes)"));
Console.WriteLine(FormattableString.Invariant($"parse           {parseCold.TotalSeconds:F3} s cold, {parseWarm.TotalSeconds:F3} s warm"));
Console.WriteLine(FormattableString.Invariant($"parse+check     {loadCold.TotalSeconds:F3} s cold, {loadWarm.TotalSeconds:F3} s warm"));
Console.WriteLine(FormattableString.Invariant($"GC in cold load  {gcCold.Item1} gen0, {gcCold.Item2} gen1, {gcCold.Item3} gen2, {gcCold.Item4.TotalSeconds:F3} s paused, {allocated / 1e6:F0} MB allocated"));
Console.WriteLine(FormattableString.Invariant($"write           {writeCold.TotalSeconds:F3} s cold, {writeWarm.TotalSeconds:F3} s warm"));
Console.WriteLine(FormattableString.Invariant($"memory loaded   GC heap {heap / 1e6:F1} MB, RSS {rss / 1e6:F1} MB (RSS before loading {baselineRss / 1e6:F1} MB)"));
if (!args.Contains("--keep"))
{
    File.Delete(path);
    File.Delete(path + ".out");
}

return 0;

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

// A full, compacting collection that also gives free memory back to the system, so RSS shows what is held.
static void Collect()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}

// VmRSS from /proc/self/status, in bytes; 0 where there is no /proc.
static long Rss()
{
    const string Status = "/proc/self/status";
    if (!File.Exists(Status))
    {
        return 0;
    }

    foreach (var line in File.ReadLines(Status))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
    }

    return 0;
}
