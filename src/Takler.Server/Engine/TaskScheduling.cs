using Takler.Core;
using Takler.Core.Nodes;
using Takler.Core.Scheduling;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Engine;

/// <summary>The engine's side of the scheduling rules: which tasks to submit after a batch, and when to wake next.</summary>
internal sealed class TaskScheduling
{
    private readonly Scheduler _scheduler;

    public TaskScheduling(Bunch bunch, TimeProvider time)
    {
        // The evaluator registers for tree changes before the scheduler does, so bindings are fresh when the scheduler rebuilds.
        Evaluator = new TreeExpressionEvaluator(bunch);
        _scheduler = new Scheduler(bunch, Evaluator, time);
    }

    /// <summary>The expression evaluator the rules use.</summary>
    public TreeExpressionEvaluator Evaluator { get; }

    /// <summary>The next instant a time dependency can change the answer, if any.</summary>
    public DateTimeOffset? NextChange { get; private set; }

    /// <summary>Whether a time dependency is due at <paramref name="now"/>.</summary>
    public bool IsDue(DateTimeOffset now) => NextChange is { } next && next <= now;

    /// <summary>
    /// Binds every expression and builds the scheduling index now, so that the first pass only evaluates. For the
    /// server's start, before the loop runs: a restored 100k-task tree takes a large part of a second here, and doing
    /// it while the server starts listening uses the core that would otherwise wait.
    /// </summary>
    public void Prepare() => _scheduler.Rebuild();

    /// <summary>Runs the rules over what changed (or everything) and returns the tasks to submit now, in order.</summary>
    public IReadOnlyList<TaskNode> Pass(DateTimeOffset now, bool full)
    {
        var pass = full ? _scheduler.FullPass(now) : _scheduler.IncrementalPass(now);
        NextChange = pass.NextChange;
        return pass.Submittable;
    }

    /// <summary>Why a node is not running, in words.</summary>
    public IReadOnlyList<string> Why(Node node, DateTimeOffset now) => _scheduler.Why(node, now);
}
