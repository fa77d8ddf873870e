using Takler.Core;
using Takler.Core.Nodes;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Engine;

/// <summary>The engine's side of the scheduling rules: which tasks to submit after a batch, and when to wake next.</summary>
internal sealed class TaskScheduling
{
    private readonly Bunch _bunch;
    private readonly Operations _operations;
    private readonly TimeProvider _time;

    public TaskScheduling(Bunch bunch, Operations operations, TimeProvider time)
    {
        _bunch = bunch;
        _operations = operations;
        _time = time;
    }

    /// <summary>The next instant a time dependency can change the answer, if any.</summary>
    public DateTimeOffset? NextChange { get; private set; }

    /// <summary>Whether a time dependency is due at <paramref name="now"/>.</summary>
    public bool IsDue(DateTimeOffset now) => NextChange is { } next && next <= now;

    /// <summary>Runs the rules over what changed (or everything) and returns the tasks to submit now.</summary>
    public IReadOnlyList<TaskNode> Pass(DateTimeOffset now, bool full)
    {
        _ = (_bunch, _operations, _time, now, full);
        NextChange = null;
        return [];
    }
}
