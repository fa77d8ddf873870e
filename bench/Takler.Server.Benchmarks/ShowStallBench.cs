using System.Diagnostics;
using Takler.Core.Definitions.TaklerJson;
using Takler.Core.Nodes;
using Takler.Protocol;
using Task = System.Threading.Tasks.Task;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Benchmarks;

/// <summary>How a repeated `show` of a 100k-task tree gets in the way of child commands.</summary>
internal enum ShowMode
{
    /// <summary>No show: the baseline.</summary>
    None,

    /// <summary>The show RPC as served now (from the query replica, off the loop).</summary>
    Replica,

    /// <summary>The show as it used to be served: a command on the engine's loop that writes the live tree.</summary>
    OnLoop,
}

/// <summary>
/// Child-command latency while another client shows a 100,000-task tree over and over: 4 connections each sending
/// `meter` updates one at a time, one more connection (or the engine's channel, for <see cref="ShowMode.OnLoop"/>)
/// asking for the whole tree as Takler's JSON back to back.
/// </summary>
internal static class ShowStallBench
{
    public static async Task<(ThroughputResult Meters, int Shows, double ShowMillis)> RunAsync(ShowMode mode, int bigTasks, TimeSpan warmup, TimeSpan duration)
    {
        const int connections = 4;
        await using var bench = await BenchServer.StartAsync(bunch =>
        {
            var flow = new Flow("bench");
            for (var i = 0; i < connections; i++)
            {
                flow.AddTask(new TaskNode($"t{i}")).AddMeter("m", 0, int.MaxValue);
            }

            bunch.AddFlow(flow);
            var big = new Flow("big");
            for (var f = 0; f < bigTasks / 1000; f++)
            {
                var family = big.AddFamily($"f{f}");
                for (var t = 0; t < 1000; t++)
                {
                    family.AddTask(new TaskNode($"t{t}")).AddMeter("m", 0, 100).AddLabel("l", "x");
                }
            }

            bunch.AddFlow(big);
        }).ConfigureAwait(false);

        var clients = Enumerable.Range(0, connections).Select(_ => bench.Connect()).ToList();
        ChildCommandBench.Check(await clients[0].RunCommandBeginAsync(new BeginCommand { FlowName = "bench" }).ConfigureAwait(false));
        var passes = new List<Protocol.Grpc.Metadata?>();
        var byPath = new Dictionary<string, Protocol.Grpc.Metadata>();
        for (var i = 0; i < connections; i++)
        {
            var job = (await bench.Jobs.NextAsync().ConfigureAwait(false)).Request;
            byPath[job.TaskPath] = BenchServer.Pass(job.Password);
        }

        var paths = Enumerable.Range(0, connections).Select(i => $"/bench/t{i}").ToList();
        foreach (var path in paths)
        {
            ChildCommandBench.Check(await clients[0].RunCommandInitAsync(new InitCommand { ChildOptions = new ChildCommandOptions { NodePath = path }, TaskId = "1" }, byPath[path]).ConfigureAwait(false));
            passes.Add(byPath[path]);
        }

        using var stop = new CancellationTokenSource();
        var shower = bench.Connect(maxReceiveMessageSize: 512 << 20);
        var engine = bench.Server.Engine;
        var shows = 0;
        long showTicks = 0;
        var showLoop = mode == ShowMode.None ? Task.CompletedTask : Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var before = Stopwatch.GetTimestamp();
                var output = mode == ShowMode.Replica
                    ? (await shower.RunRequestShowAsync(new ShowRequest()).ConfigureAwait(false)).Output
                    : await engine.ExecuteAsync("show", c => TaklerJsonWriter.WriteBunch(c.Bunch)).ConfigureAwait(false);
                if (output.Length < bigTasks * 10)
                {
                    throw new InvalidOperationException("the show is too short");
                }

                showTicks += Stopwatch.GetTimestamp() - before;
                shows++;
            }
        });

        var result = await ChildCommandBench.MeasureAsync(clients, paths, passes, warmup, duration, pingOnly: false, () => Process.GetCurrentProcess().TotalProcessorTime).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await showLoop.ConfigureAwait(false);
        return (result, shows, shows == 0 ? 0 : showTicks * 1000.0 / Stopwatch.Frequency / shows);
    }
}
