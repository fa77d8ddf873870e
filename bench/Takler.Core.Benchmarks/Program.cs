using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Takler.Core.Benchmarks;

// `--quick`: each step once with a Stopwatch (a smoke test, seconds); otherwise BenchmarkDotNet, in process:
// a short run (3 warm-ups, 3 iterations), or the default job with `--long`.
if (args.Contains("--quick"))
{
    var tasks = 100_000;
    var at = Array.IndexOf(args, "--tasks");
    if (at >= 0 && at + 1 < args.Length)
    {
        tasks = int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture);
    }

    return ExpressionBenchRun.Quick(tasks);
}

// In process: no separate benchmark project to generate and build (the machine is small and shared).
var job = args.Contains("--long") ? Job.Default : Job.ShortRun;
var config = DefaultConfig.Instance.AddJob(job.WithToolchain(InProcessEmitToolchain.Instance));
args = args.Where(a => a != "--long").ToArray();
BenchmarkSwitcher.FromAssembly(typeof(ExpressionBenchmarks).Assembly).Run(args, config);
return 0;
