using BenchmarkDotNet.Attributes;
using Takler.Core.Expressions;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Benchmarks;

/// <summary>Expressions on a 100,000-task tree: build, parse, bind, evaluate every trigger once.</summary>
[MemoryDiagnoser]
public class ExpressionBenchmarks
{
    private Bunch _bunch = null!;
    private List<Task> _tasks = null!;

    /// <summary>How many tasks. The default value is 100,000.</summary>
    [Params(100_000)]
    public int Tasks { get; set; } = 100_000;

    [GlobalSetup]
    public void Setup()
    {
        _bunch = ExpressionBenchTree.Build(Tasks, out _tasks);
        ExpressionBenchTree.CompleteAll(_tasks);
        ExpressionBinder.BindAll(_bunch);
    }

    [Benchmark(Description = "build tree")]
    public Bunch BuildTree() => ExpressionBenchTree.Build(Tasks, out _);

    [Benchmark(Description = "bind all, parsing (cold)")]
    public int BindAllCold()
    {
        ExpressionBenchTree.ClearCaches(_tasks);
        return ExpressionBinder.BindAll(_bunch).ExpressionCount;
    }

    [Benchmark(Description = "bind all again")]
    public int BindAllWarm() => ExpressionBinder.BindAll(_bunch).ExpressionCount;

    [Benchmark(Description = "evaluate every trigger once")]
    public int EvaluateAll() => ExpressionBenchRun.EvaluateAll(_tasks);
}
