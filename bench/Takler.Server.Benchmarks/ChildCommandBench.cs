using System.Diagnostics;
using Takler.Core.Nodes;
using Takler.Protocol;
using Takler.Protocol.Grpc;
using Task = System.Threading.Tasks.Task;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Benchmarks;

/// <summary>
/// Child commands per second: `meter` updates on active tasks, each with its job's password in the `takler-pass`
/// metadata, from <c>connections</c> client connections with <c>inFlight</c> calls outstanding on each (1 = a job
/// that waits for each answer, as `takler_client` and ecFlow's client do). With <c>pingOnly</c> the same calls are
/// `ping`s, which never reach the engine: the transport's share.
/// </summary>
internal static class ChildCommandBench
{
    private static readonly PingRequest Ping = new();

    public static async Task<ThroughputResult> RunAsync(int connections, int inFlight, TimeSpan warmup, TimeSpan duration, bool pingOnly = false)
    {
        var taskCount = connections * inFlight;
        await using var bench = await BenchServer.StartAsync(bunch =>
        {
            var flow = new Flow("bench");
            for (var i = 0; i < taskCount; i++)
            {
                flow.AddTask(new TaskNode($"t{i}")).AddMeter("m", 0, int.MaxValue);
            }

            bunch.AddFlow(flow);
        }).ConfigureAwait(false);

        var clients = Enumerable.Range(0, connections).Select(_ => bench.Connect()).ToList();
        Check(await clients[0].RunCommandBeginAsync(new BeginCommand { FlowName = "bench" }).ConfigureAwait(false));
        var passwords = new Dictionary<string, Metadata>();
        for (var i = 0; i < taskCount; i++)
        {
            var job = (await bench.Jobs.NextAsync().ConfigureAwait(false)).Request;
            passwords[job.TaskPath] = BenchServer.Pass(job.Password);
        }

        for (var i = 0; i < taskCount; i++)
        {
            var path = $"/bench/t{i}";
            Check(await clients[i % connections].RunCommandInitAsync(new InitCommand { ChildOptions = new ChildCommandOptions { NodePath = path }, TaskId = $"{i}" }, passwords[path]).ConfigureAwait(false));
        }

        var paths = Enumerable.Range(0, taskCount).Select(i => $"/bench/t{i}").ToList();
        return await MeasureAsync(clients, paths, paths.Select(p => passwords[p]).ToList(), warmup, duration, pingOnly, () => Process.GetCurrentProcess().TotalProcessorTime).ConfigureAwait(false);
    }

    /// <summary>
    /// One loop per path, on client <c>i % clients.Count</c>, each sending the next `meter` value as soon as the last
    /// is answered; counts the calls that start and end in the measured window. <paramref name="cpu"/> reads the CPU time
    /// used so far by everything measured (server and clients).
    /// </summary>
    public static async Task<ThroughputResult> MeasureAsync(
        IReadOnlyList<TaklerServerClient> clients,
        IReadOnlyList<string> paths,
        IReadOnlyList<Metadata?> passes,
        TimeSpan warmup,
        TimeSpan duration,
        bool pingOnly,
        Func<TimeSpan> cpu,
        Func<TimeSpan>? serverCpu = null)
    {
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = new List<Task<(long Calls, Latencies Latencies)>>();
        for (var i = 0; i < paths.Count; i++)
        {
            workers.Add(WorkAsync(clients[i % clients.Count], paths[i], passes[i], measureFrom, stopAt, pingOnly));
        }

        await Task.Delay(warmup).ConfigureAwait(false);
        var cpuBefore = cpu();
        var serverBefore = serverCpu?.Invoke() ?? TimeSpan.Zero;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var results = await Task.WhenAll(workers).ConfigureAwait(false);
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        var cpuUsed = cpu() - cpuBefore;
        var serverUsed = (serverCpu?.Invoke() ?? TimeSpan.Zero) - serverBefore;
        var all = new Latencies();
        foreach (var (_, latencies) in results)
        {
            all.AddRange(latencies);
        }

        var calls = results.Sum(r => r.Calls);
        var seconds = (double)(stopAt - measureFrom) / Stopwatch.Frequency;
        return new ThroughputResult(calls, seconds, all.Percentile(50), all.Percentile(99), cpuUsed.TotalMicroseconds / Math.Max(1, calls)) { MaxMicros = all.Percentile(100), ServerCpuMicrosPerCall = serverCpu is null ? double.NaN : serverUsed.TotalMicroseconds / Math.Max(1, calls), AllocatedBytesPerCall = (double)allocated / Math.Max(1, calls) };
    }

    private static async Task<(long Calls, Latencies Latencies)> WorkAsync(
        TaklerServerClient client, string path, Metadata? pass, long measureFrom, long stopAt, bool pingOnly)
    {
        var latencies = new Latencies();
        long calls = 0;
        var request = new MeterCommand { ChildOptions = new ChildCommandOptions { NodePath = path }, MeterName = "m" };
        for (var value = 1; ; value++)
        {
            var before = Stopwatch.GetTimestamp();
            if (before >= stopAt)
            {
                return (calls, latencies);
            }

            if (pingOnly)
            {
                await client.RunRequestPingAsync(Ping, pass).ConfigureAwait(false);
            }
            else
            {
                request.MeterValue = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Check(await client.RunCommandMeterAsync(request, pass).ConfigureAwait(false));
            }

            var after = Stopwatch.GetTimestamp();
            if (before >= measureFrom && after <= stopAt)
            {
                calls++;
                latencies.Add(after - before);
            }
        }
    }

    internal static void Check(ServiceResponse response)
    {
        if (response.Flag != 0)
        {
            throw new InvalidOperationException($"the server answered flag {response.Flag}: {response.Message}");
        }
    }
}

/// <summary>Calls completed in the measured window, the rate, latency percentiles, and process CPU per call.</summary>
internal sealed record ThroughputResult(long Calls, double Seconds, double P50Micros, double P99Micros, double CpuMicrosPerCall)
{
    public double PerSecond => Calls / Seconds;

    /// <summary>CPU time of the server process alone per call, when it runs apart; NaN otherwise.</summary>
    public double ServerCpuMicrosPerCall { get; init; } = double.NaN;

    /// <summary>Bytes allocated by this process (the in-process server and the clients) per call.</summary>
    public double AllocatedBytesPerCall { get; init; }

    /// <summary>The slowest call.</summary>
    public double MaxMicros { get; init; }
}
