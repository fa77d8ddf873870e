using Takler.Core;
using Takler.Core.Nodes;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Engine;

/// <summary>What a command sees while it runs on the engine's loop: the tree, its operations, the clock, and the job queue.</summary>
internal sealed class EngineContext
{
    private readonly SchedulerEngine _engine;

    public EngineContext(SchedulerEngine engine, Bunch bunch, Operations operations, TimeProvider time)
    {
        _engine = engine;
        Bunch = bunch;
        Operations = operations;
        Time = time;
    }

    public Bunch Bunch { get; }

    public Operations Operations { get; }

    public TimeProvider Time { get; }

    /// <summary>
    /// Submits a task's next try (after the batch): marks it submitted and hands the job to the runner.
    /// <paramref name="runParameters"/> are variables of that job only, over the tree's (run --param).
    /// </summary>
    public void Submit(TaskNode task, IReadOnlyDictionary<string, string>? runParameters = null) => _engine.SubmitTask(task, runParameters);

    /// <summary>The reason recorded for a job's own abort: <c>killed</c> while an operator's kill of that try runs, else the job's.</summary>
    public string AbortReason(TaskNode task, string reason) => _engine.IsBeingKilled(task) ? "killed" : reason;

    /// <summary>Opens a watch whose nodes are bound; its first updates go out after this batch.</summary>
    public void Watch(StatusWatch watch) => _engine.Watchers.Add(watch);

    /// <summary>Closes a watch (its call ended).</summary>
    public void Unwatch(StatusWatch watch) => _engine.Watchers.Remove(watch);

    /// <summary>Makes the commit after this batch a full snapshot (`checkpoint`); an error without storage.</summary>
    public void Checkpoint() => _engine.RequestCheckpoint();

    /// <summary>
    /// Says that this command edited definitions in place (alter, replace of attributes): with storage, the batch is
    /// then stored as a snapshot, since journal records carry run-time state only.
    /// </summary>
    public void DefinitionChanged() => _engine.Journal?.RequestSnapshot();
}
