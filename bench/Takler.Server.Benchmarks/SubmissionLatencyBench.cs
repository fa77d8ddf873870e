using System.Diagnostics;
using Takler.Core.Nodes;
using Takler.Protocol;
using Task = System.Threading.Tasks.Task;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Benchmarks;

/// <summary>
/// From a job's `complete` leaving the client to its dependant's job reaching the job runner: a chain of tasks,
/// each triggered by the previous one's completion, in a flow with <c>background</c> more tasks that wait on a
/// trigger which never holds (so the scheduler has a tree to look at).
/// </summary>
internal static class SubmissionLatencyBench
{
    public static async Task<LatencyResult> RunAsync(int chain, int background, int warmup)
    {
        await using var bench = await BenchServer.StartAsync(bunch =>
        {
            var flow = new Flow("lat");
            for (var i = 1; i <= chain; i++)
            {
                var task = flow.AddTask(new TaskNode($"t{i}"));
                if (i > 1)
                {
                    task.AddTrigger($"t{i - 1} == complete");
                }
            }

            var idle = flow.AddFamily("idle");
            for (var i = 0; i < background; i++)
            {
                idle.AddTask(new TaskNode($"w{i}")).AddTrigger("../t1 == aborted");
            }

            bunch.AddFlow(flow);
        }).ConfigureAwait(false);

        var client = bench.Connect();
        ChildCommandBench.Check(await client.RunCommandBeginAsync(new BeginCommand { FlowName = "lat" }).ConfigureAwait(false));
        var toSubmission = new Latencies();
        var toReply = new Latencies();
        var job = await bench.Jobs.NextAsync().ConfigureAwait(false);
        for (var i = 1; i < chain; i++)
        {
            var at = new ChildCommandOptions { NodePath = job.Request.TaskPath };
            var pass = BenchServer.Pass(job.Request.Password);
            ChildCommandBench.Check(await client.RunCommandInitAsync(new InitCommand { ChildOptions = at, TaskId = "1" }, pass).ConfigureAwait(false));
            var sent = Stopwatch.GetTimestamp();
            ChildCommandBench.Check(await client.RunCommandCompleteAsync(new CompleteCommand { ChildOptions = at }, pass).ConfigureAwait(false));
            var replied = Stopwatch.GetTimestamp();
            var next = await bench.Jobs.NextAsync().ConfigureAwait(false);
            if (next.Request.TaskPath != $"/lat/t{i + 1}")
            {
                throw new InvalidOperationException($"expected /lat/t{i + 1} to be submitted, got {next.Request.TaskPath}");
            }

            if (i > warmup)
            {
                toSubmission.Add(next.Timestamp - sent);
                toReply.Add(replied - sent);
            }

            job = next;
        }

        return new LatencyResult(toSubmission.Count, toSubmission.Percentile(50), toSubmission.Percentile(99), toReply.Percentile(50));
    }
}

/// <summary>Complete-to-submission latency percentiles, and the `complete` round trip's median.</summary>
internal sealed record LatencyResult(int Samples, double P50Micros, double P99Micros, double ReplyP50Micros);
