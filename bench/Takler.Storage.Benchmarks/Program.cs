using System.Diagnostics;
using System.Globalization;
using Takler.Core;
using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Nodes;
using Takler.Protocol;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;
using Takler.Server.Hosting;
using Takler.Server.Storage;
using Takler.Storage.Benchmarks;
using Task = System.Threading.Tasks.Task;

// Child commands per second through the real gRPC service, with storage off and on (synchronous NORMAL and FULL),
// for 1 and more concurrent clients; then the snapshot and restore of a 100,000-task tree.
// Options: --quick, --clients 1,4,16, --modes off,normal,full, --rounds N, --meter-only, --tree-only, --store-only.
var quick = args.Contains("--quick");
var seconds = quick ? 3 : 8;
int[] clientCounts = quick ? [1, 16] : [1, 4, 16, 64];
var clientsAt = Array.IndexOf(args, "--clients");
if (clientsAt >= 0 && clientsAt + 1 < args.Length)
{
    // --clients 1,4,16: just these client counts.
    clientCounts = args[clientsAt + 1].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
}

var modesAt = Array.IndexOf(args, "--modes");
string[] modes = modesAt >= 0 && modesAt + 1 < args.Length ? args[modesAt + 1].Split(',') : ["off", "normal", "full"];

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine($"child commands (meter) for {seconds} s after 1 s of warm-up, each client one command at a time");
Console.WriteLine();
Console.WriteLine("| storage | clients | commands/s | p50 latency | p99 latency | commands/batch | CPU per command |");
Console.WriteLine("|---------|--------:|-----------:|------------:|------------:|---------------:|----------------:|");
if (args.Contains("--store-only"))
{
    StoreBench.Run();
    return;
}

// --rounds N: the modes one after the other, N times over (alternating, so that a load swing of the shared machine
// hits every mode), then the median of each mode and the ratio of each mode to `off`.
var roundsAt = Array.IndexOf(args, "--rounds");
var rounds = roundsAt >= 0 && roundsAt + 1 < args.Length ? int.Parse(args[roundsAt + 1], CultureInfo.InvariantCulture) : 1;
var medians = new List<string>();
if (!args.Contains("--tree-only") && rounds > 1)
{
    // Every code path once before the first measured row: JIT and tiering otherwise slow the first mode down.
    foreach (var mode in modes)
    {
        await MeterBench.RunAsync(mode, clientCounts.Max(), TimeSpan.FromSeconds(2));
    }
}

foreach (var clients in args.Contains("--tree-only") ? [] : clientCounts)
{
    var results = modes.ToDictionary(m => m, _ => new List<MeterResult>());
    for (var round = 0; round < rounds; round++)
    {
        foreach (var mode in modes)
        {
            var result = await MeterBench.RunAsync(mode, clients, TimeSpan.FromSeconds(seconds));
            results[mode].Add(result);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {mode,-7} | {clients,7} | {result.PerSecond,10:N0} | {result.P50.TotalMilliseconds,8:F2} ms | {result.P99.TotalMilliseconds,8:F2} ms | {result.CommandsPerBatch,14:F1} | {result.CpuPerCommand.TotalMicroseconds,12:F0} µs |"));
        }
    }

    if (rounds > 1)
    {
        var off = results.TryGetValue("off", out var offResults) ? Median(offResults.Select(r => r.PerSecond)) : double.NaN;
        foreach (var mode in modes)
        {
            var perSecond = Median(results[mode].Select(r => r.PerSecond));
            var cpu = Median(results[mode].Select(r => r.CpuPerCommand.TotalMicroseconds));
            medians.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"| {mode,-7} | {clients,7} | {perSecond,10:N0} | {cpu,8:F0} µs | {perSecond / off,8:P0} |"));
        }
    }
}

if (medians.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine($"medians of {rounds} rounds:");
    Console.WriteLine();
    Console.WriteLine("| storage | clients | commands/s | CPU per command | of `off` |");
    Console.WriteLine("|---------|--------:|-----------:|----------------:|---------:|");
    medians.ForEach(Console.WriteLine);
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

if (!args.Contains("--meter-only"))
{
    Console.WriteLine();
    TreeBench.Run(families: 1_000, tasksPerFamily: 100);
}

namespace Takler.Storage.Benchmarks
{
    /// <summary>One run: throughput, latency, batching, and the process's CPU time (server and clients) per command.</summary>
    internal sealed record MeterResult(double PerSecond, TimeSpan P50, TimeSpan P99, long Batches, double CommandsPerBatch, TimeSpan CpuPerCommand);

    internal static class MeterBench
    {
        public static async Task<MeterResult> RunAsync(string mode, int clients, TimeSpan duration)
        {
            var home = Directory.CreateTempSubdirectory("takler-bench-").FullName;
            try
            {
                var runner = new NoJobRunner();
                var server = new TaklerServer(
                    new TaklerServerOptions
                    {
                        Port = 0,
                        LoopbackOnly = true,
                        Home = home,
                        Interval = TimeSpan.FromHours(1),
                        Storage = mode != "off",
                        StorageSynchronous = mode == "full" ? StorageSynchronous.Full : StorageSynchronous.Normal,
                    },
                    runner);
                await using (server.ConfigureAwait(false))
                {
                    var flow = server.Bunch.AddFlow(new Flow("b"));
                    for (var i = 0; i < clients; i++)
                    {
                        flow.AddTask($"t{i}").AddMeter("m", 0, int.MaxValue);
                    }

                    await server.StartAsync().ConfigureAwait(false);
                    using var channel = GrpcChannel.ForHost("127.0.0.1", server.Port);
                    var client = new TaklerServerClient(channel.CreateCallInvoker());
                    await client.RunCommandBeginAsync(new BeginCommand { FlowName = "b" }).ConfigureAwait(false);
                    while (runner.Passwords.Count < clients)
                    {
                        await Task.Delay(10).ConfigureAwait(false);
                    }

                    using var warm = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    await Task.WhenAll(Enumerable.Range(0, clients).Select(i => LoopAsync(client, $"/b/t{i}", runner.Passwords[$"/b/t{i}"], warm.Token, null))).ConfigureAwait(false);

                    var batchesBefore = server.Engine.Batches;
                    var commandsBefore = server.Engine.CommandsApplied;
                    var latencies = Enumerable.Range(0, clients).Select(_ => new List<long>(100_000)).ToArray();
                    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    var watch = Stopwatch.StartNew();
                    using var run = new CancellationTokenSource(duration);
                    await Task.WhenAll(Enumerable.Range(0, clients).Select(i => LoopAsync(client, $"/b/t{i}", runner.Passwords[$"/b/t{i}"], run.Token, latencies[i]))).ConfigureAwait(false);
                    var elapsed = watch.Elapsed;
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                    var all = latencies.SelectMany(l => l).Order().ToArray();
                    var batches = server.Engine.Batches - batchesBefore;
                    var commands = server.Engine.CommandsApplied - commandsBefore;
                    return new MeterResult(
                        all.Length / elapsed.TotalSeconds,
                        Stopwatch.GetElapsedTime(0, all[all.Length / 2]),
                        Stopwatch.GetElapsedTime(0, all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))]),
                        batches,
                        batches == 0 ? 0 : (double)commands / batches,
                        all.Length == 0 ? TimeSpan.Zero : cpu / all.Length);
                }
            }
            finally
            {
                Directory.Delete(home, recursive: true);
            }
        }

        private static async Task LoopAsync(TaklerServerClient client, string path, string password, CancellationToken stop, List<long>? latencies)
        {
            var pass = new Metadata { { TaklerMetadataKeys.Password, password } };
            var value = 0;
            await Task.Yield();
            while (!stop.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                var reply = await client.RunCommandMeterAsync(
                    new MeterCommand { ChildOptions = new ChildCommandOptions { NodePath = path }, MeterName = "m", MeterValue = (++value).ToString(CultureInfo.InvariantCulture) },
                    pass).ConfigureAwait(false);
                if (reply.Flag != 0)
                {
                    throw new InvalidOperationException($"{path}: {reply.Message}");
                }

                latencies?.Add(Stopwatch.GetTimestamp() - start);
            }
        }
    }

    /// <summary>
    /// The store alone: appends of 1 and 4 records of 200 bytes, each one transaction (no engine, no network). The log
    /// is checkpointed when due, as the server's writer does off the engine's loop, and its time and CPU left out.
    /// </summary>
    internal static class StoreBench
    {
        public static void Run()
        {
            foreach (var synchronous in (StorageSynchronous[])[StorageSynchronous.Normal, StorageSynchronous.Full])
            {
                foreach (var perBatch in (int[])[1, 4])
                {
                    var home = Directory.CreateTempSubdirectory("takler-bench-").FullName;
                    try
                    {
                        using var store = SqliteStateStore.Open(Path.Combine(home, "takler.db"), synchronous);
                        var records = Enumerable.Range(0, perBatch).Select(_ => (ReadOnlyMemory<byte>)new byte[200]).ToArray();
                        var count = synchronous == StorageSynchronous.Full ? 300 : 20_000;
                        for (var i = 0; i < count / 4; i++)
                        {
                            store.Append(records, TimeProvider.System.GetUtcNow());
                        }

                        var process = Process.GetCurrentProcess();
                        var cpuBefore = process.TotalProcessorTime;
                        var kernelBefore = process.PrivilegedProcessorTime;
                        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                        var checkpoints = TimeSpan.Zero;
                        var checkpointCpu = TimeSpan.Zero;
                        var checkpointKernel = TimeSpan.Zero;
                        var watch = Stopwatch.StartNew();
                        for (var i = 0; i < count; i++)
                        {
                            store.Append(records, TimeProvider.System.GetUtcNow());
                            if (store.CheckpointDue)
                            {
                                // As the server's writer does, off the engine's loop: not part of an append's cost.
                                process.Refresh();
                                var (checkpoint, checkpointCpuBefore, checkpointKernelBefore) = (Stopwatch.GetTimestamp(), process.TotalProcessorTime, process.PrivilegedProcessorTime);
                                store.Checkpoint();
                                checkpoints += Stopwatch.GetElapsedTime(checkpoint);
                                process.Refresh();
                                checkpointCpu += process.TotalProcessorTime - checkpointCpuBefore;
                                checkpointKernel += process.PrivilegedProcessorTime - checkpointKernelBefore;
                            }
                        }

                        var elapsed = watch.Elapsed - checkpoints;
                        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                        process.Refresh();
                        var cpu = process.TotalProcessorTime - cpuBefore - checkpointCpu;
                        var kernel = process.PrivilegedProcessorTime - kernelBefore - checkpointKernel;
                        Console.WriteLine(string.Create(
                            CultureInfo.InvariantCulture,
                            $"store {synchronous}, {perBatch} records per append: {elapsed.TotalMicroseconds / count:F1} µs per append, CPU {cpu.TotalMicroseconds / count:F1} µs (kernel {kernel.TotalMicroseconds / count:F1} µs), {(double)allocated / count:F0} bytes allocated"));
                    }
                    finally
                    {
                        Directory.Delete(home, recursive: true);
                    }
                }
            }
        }
    }

    internal static class TreeBench
    {
        public static void Run(int families, int tasksPerFamily)
        {
            var bunch = new Bunch();
            var flow = bunch.AddFlow(new Flow("big"));
            for (var f = 0; f < families; f++)
            {
                var family = flow.AddFamily("f" + f);
                for (var t = 0; t < tasksPerFamily; t++)
                {
                    var task = family.AddTask("t" + t);
                    task.AddEvent("e").AddMeter("m", 0, 100).AddLabel("l", "none");
                    if (t > 0)
                    {
                        task.AddTrigger("t" + (t - 1) + " == complete");
                    }
                }
            }

            new Operations(bunch, TimeProvider.System).Begin("big");
            var home = Directory.CreateTempSubdirectory("takler-bench-").FullName;
            try
            {
                var path = Path.Combine(home, "takler.db");
                var watch = Stopwatch.StartNew();
                var bytes = SnapshotWriter.ToBytes(bunch);
                var serialize = watch.Elapsed;
                using (var store = SqliteStateStore.Open(path, StorageSynchronous.Full))
                {
                    watch.Restart();
                    store.WriteSnapshot(bytes, TimeProvider.System.GetUtcNow());
                }

                var write = watch.Elapsed;
                watch.Restart();
                using (var store = SqliteStateStore.Open(path))
                {
                    store.Restore(new Bunch());
                }

                var restore = watch.Elapsed;
                watch.Restart();
                var read = SnapshotReader.ReadBunch(bytes);
                var parse = watch.Elapsed;
                watch.Restart();
                NodeStateRecord.RelinkHeldLimits(read);
                var relink = watch.Elapsed;
                var nodes = bunch.AllNodes().Count();
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"snapshot of {nodes:N0} nodes ({families * tasksPerFamily:N0} tasks): {bytes.Length / 1e6:F1} MB; serialize {serialize.TotalMilliseconds:F0} ms, write (FULL) {write.TotalMilliseconds:F0} ms, open + restore {restore.TotalMilliseconds:F0} ms (of which reading the JSON {parse.TotalMilliseconds:F0} ms, re-linking limit holders {relink.TotalMilliseconds:F0} ms)"));
            }
            finally
            {
                Directory.Delete(home, recursive: true);
            }
        }
    }
}
