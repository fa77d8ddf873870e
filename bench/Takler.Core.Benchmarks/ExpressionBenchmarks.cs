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
    private string[] _texts = null!;

    /// <summary>How many tasks. The default value is 100,000.</summary>
    [Params(100_000)]
    public int Tasks { get; set; } = 100_000;

    [GlobalSetup]
    public void Setup()
    {
        _bunch = ExpressionBenchTree.Build(Tasks, out _tasks);
        ExpressionBenchTree.CompleteAll(_tasks);
        _texts = ExpressionBenchRun.Texts(_tasks);
        ExpressionBinder.BindAll(_bunch);
    }

    [Benchmark(Description = "build tree")]
    public Bunch BuildTree() => ExpressionBenchTree.Build(Tasks, out _);

    [Benchmark(Description = "parse every trigger")]
    public int ParseAll() => ExpressionBenchRun.ParseAll(_texts);

    [Benchmark(Description = "bind all (parse, resolve, compile)")]
    public int BindAll() => ExpressionBinder.BindAll(_bunch).ExpressionCount;

    [Benchmark(Description = "evaluate every trigger once")]
    public int EvaluateAll() => ExpressionBenchRun.EvaluateAll(_tasks);

    [Benchmark(Description = "bind all + evaluate every trigger")]
    public int BindAndEvaluate()
    {
        ExpressionBinder.BindAll(_bunch);
        return ExpressionBenchRun.EvaluateAll(_tasks);
    }
}
