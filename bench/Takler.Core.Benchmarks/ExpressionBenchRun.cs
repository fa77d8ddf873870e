using System.Diagnostics;
using System.Globalization;
using Takler.Core.Expressions;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Benchmarks;

/// <summary>The `--quick` run: each step once with a Stopwatch, after a small warm-up, printed as a table.</summary>
internal static class ExpressionBenchRun
{
    /// <summary>Evaluates every task's trigger once; returns how many hold.</summary>
    public static int EvaluateAll(List<Task> tasks)
    {
        var holding = 0;
        foreach (var task in tasks)
        {
            if (task.Trigger is { } trigger && ExpressionEvaluator.Evaluate(task, trigger))
            {
                holding++;
            }
        }

        return holding;
    }

    /// <summary>The trigger texts of the tasks.</summary>
    public static string[] Texts(List<Task> tasks) => tasks.Where(t => t.Trigger is not null).Select(t => t.Trigger!.Text).ToArray();

    /// <summary>Parses every text (the trees are dropped); returns how many.</summary>
    public static int ParseAll(string[] texts)
    {
        foreach (var text in texts)
        {
            ExpressionParser.Parse(text);
        }

        return texts.Length;
    }

    public static int Quick(int taskCount)
    {
        // Warm-up on smaller trees so that the timings below are mostly not JIT compilation.
        for (var i = 0; i < 3; i++)
        {
            Run(20_000, print: false);
        }

        return Run(taskCount, print: true);
    }

    private static int Run(int taskCount, bool print)
    {
        var rows = new List<(string Step, double Ms, double CpuMs, long Bytes, string Gcs)>();
        List<Task> tasks = null!;
        var bunch = Measure(rows, "build tree", () => ExpressionBenchTree.Build(taskCount, out tasks));
        ExpressionBenchTree.CompleteAll(tasks);
        var texts = Texts(tasks);
        Measure(rows, "parse every trigger", () => ParseAll(texts));
        var result = Measure(rows, "bind all (parse, resolve, compile)", () => ExpressionBinder.BindAll(bunch));
        var holding = Measure(rows, "evaluate every trigger once", () => EvaluateAll(tasks));
        if (!print)
        {
            return 0;
        }

        var c = CultureInfo.InvariantCulture;
        var total = rows[2].Ms + rows[3].Ms;
        Console.WriteLine($"Expressions: {taskCount.ToString("N0", c)} tasks, {result.ExpressionCount.ToString("N0", c)} triggers, {result.Problems.Count} problems, {holding.ToString("N0", c)} holding");
        Console.WriteLine();
        Console.WriteLine("| step | wall ms | CPU ms | allocated MB | GCs (gen 0/1/2, pause) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (step, ms, cpu, bytes, gcs) in rows)
        {
            Console.WriteLine(string.Format(c, "| {0} | {1:F1} | {2:F1} | {3:F1} | {4} |", step, ms, cpu, bytes / 1048576.0, gcs));
        }

        Console.WriteLine();
        // The verdict is on CPU time: on the shared 2-core build machine wall time mostly measures the other jobs.
        var cpuTotal = rows[2].CpuMs + rows[3].CpuMs;
        var verdict = cpuTotal < 100 ? "met" : "NOT met";
        Console.WriteLine(string.Format(c, "bind all + one evaluation of every trigger: {0:F1} ms wall, {1:F1} ms CPU; target < 100 ms (CPU) {2}", total, cpuTotal, verdict));
        if (File.Exists("/proc/loadavg"))
        {
            // Wall times on a shared machine depend on what else runs; CPU time much less.
            Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        }
        return result.Success && result.ExpressionCount > 0 ? 0 : 1;
    }

    private static T Measure<T>(List<(string, double, double, long, string)> rows, string step, Func<T> action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetAllocatedBytesForCurrentThread();
        int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var pause = GC.GetTotalPauseDuration();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var value = action();
        watch.Stop();
        process.Refresh();
        var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        var gcs = string.Join('/', collections.Select((n, generation) => GC.CollectionCount(generation) - n))
            + string.Format(CultureInfo.InvariantCulture, ", {0:F0} ms", (GC.GetTotalPauseDuration() - pause).TotalMilliseconds);
        rows.Add((step, watch.Elapsed.TotalMilliseconds, cpuMs, GC.GetAllocatedBytesForCurrentThread() - before, gcs));
        return value;
    }
}
