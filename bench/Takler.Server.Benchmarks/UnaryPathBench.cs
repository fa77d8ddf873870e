using System.Globalization;

namespace Takler.Server.Benchmarks;

/// <summary>
/// `--unary`: the rows that measure the unary call path, one connection count and in-flight count at a time:
/// in-process `meter` and `ping`, and `meter` against a separate `takler_server --sync normal` (alone with
/// `--process-only`).
/// </summary>
internal static class UnaryPathBench
{
    private static readonly (int Connections, int InFlight)[] Shapes = [(1, 1), (4, 1), (4, 16)];

    public static async Task<int> RunAsync(bool quick, bool processOnly)
    {
        var warmup = TimeSpan.FromSeconds(quick ? 1 : 3);
        var duration = TimeSpan.FromSeconds(quick ? 4 : 8);
        var culture = CultureInfo.InvariantCulture;
        if (!processOnly)
        {
            await ChildCommandBench.RunAsync(4, 16, TimeSpan.Zero, warmup * 2).ConfigureAwait(false); // JIT warm-up
            await ChildCommandBench.RunAsync(4, 1, TimeSpan.Zero, warmup * 2).ConfigureAwait(false);
        }

        Console.WriteLine($"# unary call path: {Environment.ProcessorCount} cores, .NET {Environment.Version}, measured {duration.TotalSeconds} s per row");
        Console.WriteLine("| server | conns | in flight | calls/s | p50 | p99 | CPU per call (all) | server CPU per call | bytes allocated per call (this process) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (connections, inFlight) in processOnly ? [] : Shapes)
        {
            var r = await ChildCommandBench.RunAsync(connections, inFlight, warmup, duration).ConfigureAwait(false);
            Console.WriteLine(Row(culture, "takler in-process `meter` (no storage)", connections, inFlight, r));
        }

        foreach (var (connections, inFlight) in processOnly ? [] : Shapes)
        {
            var r = await ChildCommandBench.RunAsync(connections, inFlight, warmup, duration, pingOnly: true).ConfigureAwait(false);
            Console.WriteLine(Row(culture, "takler in-process `ping`", connections, inFlight, r));
        }

        await using (var normal = await ServerProcessBench.StartAsync("normal").ConfigureAwait(false))
        {
            await normal.MeasureAsync(4, 16, TimeSpan.Zero, warmup * 2).ConfigureAwait(false);
            foreach (var (connections, inFlight) in Shapes)
            {
                var r = await normal.MeasureAsync(connections, inFlight, warmup, duration).ConfigureAwait(false);
                Console.WriteLine(Row(culture, "takler_server `--sync normal` `meter`", connections, inFlight, r));
            }
        }

        return 0;
    }

    private static string Row(CultureInfo culture, string server, int connections, int inFlight, ThroughputResult r) =>
        string.Create(culture, $"| {server} | {connections} | {inFlight} | {r.PerSecond:N0} | {Latencies.Micros(r.P50Micros)} | {Latencies.Micros(r.P99Micros)} | {Latencies.Micros(r.CpuMicrosPerCall)} | {(double.IsNaN(r.ServerCpuMicrosPerCall) ? "" : Latencies.Micros(r.ServerCpuMicrosPerCall))} | {r.AllocatedBytesPerCall:N0} |");
}
