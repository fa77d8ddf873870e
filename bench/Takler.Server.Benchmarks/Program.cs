using System.Globalization;
using Takler.Server.Benchmarks;

// Server benchmarks (issue 5): child commands per second, complete-to-submission latency, and ecFlow side by side.
// Usage: Takler.Server.Benchmarks [--quick] [--no-ecflow] [--throughput-only] [--show-stall] [--unary [--process-only]]
var quick = args.Contains("--quick");
var withEcflow = !args.Contains("--no-ecflow");
var onlyThroughput = args.Contains("--throughput-only");
if (args.Contains("--show-stall"))
{
    // Child-command latency while another client shows a 100k-task tree back to back (issue 5: queries off the loop).
    var stallWarmup = TimeSpan.FromSeconds(args.Contains("--quick") ? 2 : 5);
    var stallDuration = TimeSpan.FromSeconds(args.Contains("--quick") ? 5 : 15);
    await ShowStallBench.RunAsync(ShowMode.Replica, 10_000, TimeSpan.Zero, TimeSpan.FromSeconds(3)); // JIT warm-up
    Console.WriteLine("| show of 100k tasks | meter calls/s (4 conns) | p50 | p99 | max | CPU per meter call | shows | show time |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var mode in (ShowMode[])[ShowMode.None, ShowMode.OnLoop, ShowMode.Replica])
    {
        var (r, shows, showMillis) = await ShowStallBench.RunAsync(mode, 100_000, stallWarmup, stallDuration);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {mode} | {r.PerSecond:N0} | {Latencies.Micros(r.P50Micros)} | {Latencies.Micros(r.P99Micros)} | {Latencies.Micros(r.MaxMicros)} | {Latencies.Micros(r.CpuMicrosPerCall)} | {shows} | {showMillis:0} ms |"));
    }

    return 0;
}

if (args.Contains("--unary"))
{
    // The unary call path (issue 5): 1x1, 4x1, 4x16 in-process and against a separate `takler_server --sync normal`,
    // and `ping` (the transport alone), with CPU per call; for before/after comparisons on a shared machine.
    return await UnaryPathBench.RunAsync(quick, args.Contains("--process-only")).ConfigureAwait(false);
}

var warmup = TimeSpan.FromSeconds(quick ? 1 : 3);
var duration = TimeSpan.FromSeconds(quick ? 3 : 10);
var culture = CultureInfo.InvariantCulture;
// JIT warm-up (tiered compilation with PGO) of every path measured below, so the first measurement is not the
// one that pays for it.
var warmupStart = System.Diagnostics.Stopwatch.GetTimestamp();
await ChildCommandBench.RunAsync(4, 16, TimeSpan.Zero, warmup * 2);
await ChildCommandBench.RunAsync(1, 1, TimeSpan.Zero, warmup * 2);
await ChildCommandBench.RunAsync(1, 1, TimeSpan.Zero, warmup, pingOnly: true);
await EngineBench.RunAsync(4, TimeSpan.Zero, warmup);
await SubmissionLatencyBench.RunAsync(200, 0, warmup: 0);
Console.WriteLine(string.Create(culture, $"(JIT warm-up: {System.Diagnostics.Stopwatch.GetElapsedTime(warmupStart).TotalSeconds:0} s, not measured)"));


Console.WriteLine($"# Server benchmarks ({(quick ? "quick" : "full")}): {Environment.ProcessorCount} cores, .NET {Environment.Version}, warm-up {warmup.TotalSeconds} s, measured {duration.TotalSeconds} s");
Console.WriteLine();
Console.WriteLine("| server | connections | in flight each | child commands/s | p50 | p99 | CPU per call (all) | server CPU per call |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
var ours = new Dictionary<(int, int), ThroughputResult>();
var separateProcess = new Dictionary<(int, int), ThroughputResult>();
foreach (var (connections, inFlight) in (IEnumerable<(int, int)>)[(1, 1), (4, 1), (1, 16), (4, 16)])
{
    var r = await ChildCommandBench.RunAsync(connections, inFlight, warmup, duration);
    ours[(connections, inFlight)] = r;
    Console.WriteLine(string.Create(culture, $"| takler (.NET, in-process) | {connections} | {inFlight} | {r.PerSecond:N0} | {Latencies.Micros(r.P50Micros)} | {Latencies.Micros(r.P99Micros)} | {Latencies.Micros(r.CpuMicrosPerCall)} |"));
}

await using (var normal = await ServerProcessBench.StartAsync("normal"))
{
    // --sync normal: a commit is in SQLite's WAL (survives a crash of the server process) before the reply, not fsynced.
    await normal.MeasureAsync(4, 16, TimeSpan.Zero, warmup * 2);
    foreach (var (connections, inFlight) in (IEnumerable<(int, int)>)[(1, 1), (4, 1), (4, 16)])
    {
        var r = await normal.MeasureAsync(connections, inFlight, warmup, duration);
        separateProcess[(connections, inFlight)] = r;
        Console.WriteLine(string.Create(culture, $"| takler_server (separate process, `--sync normal`) | {connections} | {inFlight} | {r.PerSecond:N0} | {Latencies.Micros(r.P50Micros)} | {Latencies.Micros(r.P99Micros)} | {Latencies.Micros(r.CpuMicrosPerCall)} | {Latencies.Micros(r.ServerCpuMicrosPerCall)} |"));
    }
}

await using (var separate = await ServerProcessBench.StartAsync())
{
    await separate.MeasureAsync(4, 16, TimeSpan.Zero, warmup * 2); // the server process's JIT warm-up
    foreach (var (connections, inFlight) in (IEnumerable<(int, int)>)[(1, 1), (4, 1), (4, 16)])
    {
        var r = await separate.MeasureAsync(connections, inFlight, warmup, duration);
        Console.WriteLine(string.Create(culture, $"| takler_server (separate process, `--sync full`) | {connections} | {inFlight} | {r.PerSecond:N0} | {Latencies.Micros(r.P50Micros)} | {Latencies.Micros(r.P99Micros)} | {Latencies.Micros(r.CpuMicrosPerCall)} | {Latencies.Micros(r.ServerCpuMicrosPerCall)} |"));
    }
}

foreach (var (connections, inFlight) in (IEnumerable<(int, int)>)[(1, 1), (4, 16)])
{
    var r = await ChildCommandBench.RunAsync(connections, inFlight, warmup, duration, pingOnly: true);
    Console.WriteLine(string.Create(culture, $"| takler, `ping` (transport only) | {connections} | {inFlight} | {r.PerSecond:N0} | {Latencies.Micros(r.P50Micros)} | {Latencies.Micros(r.P99Micros)} | {Latencies.Micros(r.CpuMicrosPerCall)} |"));
}

foreach (var callers in (int[])[1, 4, 64])
{
    var r = await EngineBench.RunAsync(callers, warmup, duration);
    Console.WriteLine(string.Create(culture, $"| takler, engine only (no network) | {callers} callers | 1 | {r.PerSecond:N0} | {Latencies.Micros(r.P50Micros)} | {Latencies.Micros(r.P99Micros)} | {Latencies.Micros(r.CpuMicrosPerCall)} |"));
}

var ecflow = new Dictionary<int, ThroughputResult>();
string? ecflowVersion = null;
if (withEcflow)
{
    if (await EcflowBench.WhyNotAvailableAsync() is { } why)
    {
        Console.WriteLine($"| ecFlow | skipped: {why} |");
    }
    else
    {
        await using var ecf = await EcflowBench.StartAsync();
        ecflowVersion = ecf.Version;
        foreach (var processes in (int[])[1, 4])
        {
            var r = await ecf.MeasureAsync(processes, warmup, duration);
            ecflow[processes] = r;
            Console.WriteLine(string.Create(culture, $"| ecFlow {ecf.Version} (python3 ecflow.Client) | {processes} processes | 1 | {r.PerSecond:N0} | {Latencies.Micros(r.P50Micros)} | {Latencies.Micros(r.P99Micros)} | | {Latencies.Micros(r.ServerCpuMicrosPerCall)} |"));
        }
    }
}

Console.WriteLine();
foreach (var processes in ecflow.Keys)
{
    Console.WriteLine(string.Create(
        culture,
        $"ratio takler/ecFlow, {processes} connection(s), one call in flight each: separate process (`--sync normal`, the default) {separateProcess[(processes, 1)].PerSecond / ecflow[processes].PerSecond:0.0}x, in-process {ours[(processes, 1)].PerSecond / ecflow[processes].PerSecond:0.0}x"));
}

if (ecflow.TryGetValue(4, out var ecflowFour))
{
    Console.WriteLine(string.Create(culture, $"ratio takler/ecFlow, 4 connections, 16 calls in flight each (ecFlow: 4 processes, one call each): separate process {separateProcess[(4, 16)].PerSecond / ecflowFour.PerSecond:0.0}x"));
}

if (onlyThroughput)
{
    return 0;
}

Console.WriteLine();
Console.WriteLine("| complete -> dependant submitted | background tasks | samples | p50 | p99 | complete round trip p50 |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var background in (int[])[0, quick ? 10_000 : 100_000])
{
    var r = await SubmissionLatencyBench.RunAsync(quick ? 300 : 2_000, background, warmup: quick ? 50 : 200);
    Console.WriteLine(string.Create(culture, $"| chain of tasks | {background:N0} | {r.Samples} | {Latencies.Micros(r.P50Micros)} | {Latencies.Micros(r.P99Micros)} | {Latencies.Micros(r.ReplyP50Micros)} |"));
}

return 0;
