using System.Diagnostics;
using Takler.Core.Nodes;
using Task = System.Threading.Tasks.Task;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Benchmarks;

/// <summary>
/// The engine without the network: <c>callers</c> loops each queueing a `meter` update on the engine's channel and
/// awaiting its reply, as the gRPC handlers do. The difference from the gRPC numbers is the transport's cost.
/// </summary>
internal static class EngineBench
{
    public static async Task<ThroughputResult> RunAsync(int callers, TimeSpan warmup, TimeSpan duration)
    {
        await using var bench = await BenchServer.StartAsync(bunch =>
        {
            var flow = new Flow("engine");
            for (var i = 0; i < callers; i++)
            {
                flow.AddTask(new TaskNode($"t{i}")).AddMeter("m", 0, int.MaxValue);
            }

            bunch.AddFlow(flow);
        }).ConfigureAwait(false);
        var engine = bench.Server.Engine;
        await engine.ExecuteAsync("begin", c => c.Operations.Begin("engine")).ConfigureAwait(false);
        for (var i = 0; i < callers; i++)
        {
            var path = $"/engine/t{i}";
            await bench.Jobs.NextAsync().ConfigureAwait(false);
            await engine.ExecuteAsync("init", c => c.Operations.Init(path, "1")).ConfigureAwait(false);
        }

        var measureFrom = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
        {
            var path = $"/engine/t{i}";
            var latencies = new Latencies();
            for (var value = 1; ; value++)
            {
                var before = Stopwatch.GetTimestamp();
                if (before >= stopAt)
                {
                    return latencies;
                }

                var v = value;
                await engine.ExecuteAsync("meter", c => c.Operations.SetMeter(path, "m", v)).ConfigureAwait(false);
                var after = Stopwatch.GetTimestamp();
                if (before >= measureFrom && after <= stopAt)
                {
                    latencies.Add(after - before);
                }
            }
        })).ToList();
        await Task.Delay(warmup).ConfigureAwait(false);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var results = await Task.WhenAll(workers).ConfigureAwait(false);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var all = new Latencies();
        foreach (var r in results)
        {
            all.AddRange(r);
        }

        var seconds = (double)(stopAt - measureFrom) / Stopwatch.Frequency;
        return new ThroughputResult(all.Count, seconds, all.Percentile(50), all.Percentile(99), cpu.TotalMicroseconds / Math.Max(1, all.Count));
    }
}
