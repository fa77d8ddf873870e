using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Scheduling;

/// <summary>
/// The scheduler's cached view of one node: its place in tree order, whether its own dependencies (and those above
/// it) let things below it run, whether it is a task that may be submitted, its next wake-up, and the holders whose
/// expressions read it.
/// </summary>
/// <remarks>
/// A struct in one array in tree order (the scheduler's index), entries naming each other by their place in it
/// (<see cref="Parent"/>, <see cref="SubtreeEnd"/>, the dependents). A restart of 100,000 tasks made 100,000 entry
/// objects before, each a few collections' work to move into the old generation while the big tree is alive; one
/// array is one allocation, outside the young generation.
/// </remarks>
internal struct ScheduleEntry
{
    /// <summary>The node.</summary>
    public Node Node;

    /// <summary>The parent's place in tree order; -1 for a flow.</summary>
    public int Parent;

    /// <summary>The number of the node's flow among the scheduler's flows (its place in their order).</summary>
    public int FlowNumber;

    /// <summary>One past the place of the last node below this one (descendants are contiguous in tree order).</summary>
    public int SubtreeEnd;

    /// <summary>TAKLER_PRIORITY, read when the task was last found runnable.</summary>
    public int Priority;

    /// <summary>The trigger and complete read when the dependents were registered.</summary>
    public ExpressionAttribute? TriggerRef;

    public ExpressionAttribute? CompleteRef;

    /// <summary>
    /// The number of parts of <see cref="TriggerRef"/> and <see cref="CompleteRef"/> together then: parts are only
    /// ever added, so for the same two attributes the sum changes exactly when either count does.
    /// </summary>
    public int ExpressionParts;

    /// <summary>The node's own late and in-limit count when the inherited data below were computed.</summary>
    public LateAttribute? OwnLate;

    public int OwnInLimits;

    /// <summary>The late limits that apply here (own aspects, then inherited).</summary>
    public LateAttribute? Late;

    // TimerAt's parts: a DateTimeOffset? field takes 24 bytes, these 11. The index holds an entry for every node, and a
    // restart pays for every page of it.
    private long _timerTicks;
    private short _timerOffsetMinutes;
    private bool _hasTimer;

    // The holders whose expressions read this node: the first one's place plus one (0: none), then any others. Most
    // nodes are read by one holder (the next task waits for this one): no list for them.
    private int _firstDependentPlusOne;
    private List<int>? _otherDependents;

    // The entries this node's expressions read (to unregister when they change), kept the same way.
    private int _firstReadPlusOne;
    private int[]? _otherReads;

    /// <summary>The flow has begun, nothing on this node or above it is suspended, and their times and triggers hold.</summary>
    public bool Open;

    /// <summary>Queued for re-evaluation.</summary>
    public bool Dirty;

    /// <summary>A task that passes every check but the limits.</summary>
    public bool Runnable;

    /// <summary>A runnable task that is an aborted one due for its next try.</summary>
    public bool IsRetry;

    /// <summary>The node or one above it has an in-limit.</summary>
    public bool HasInLimits;

    /// <summary>When the node must be looked at again (a slot, a retry, a late limit), if ever.</summary>
    public DateTimeOffset? TimerAt
    {
        readonly get => _hasTimer ? new DateTimeOffset(_timerTicks, TimeSpan.FromMinutes(_timerOffsetMinutes)) : null;
        set
        {
            _hasTimer = value.HasValue;
            if (value is { } at)
            {
                (_timerTicks, _timerOffsetMinutes) = (at.Ticks, (short)at.TotalOffsetMinutes);
            }
        }
    }

    /// <summary>How many holders read this node (see <see cref="DependentAt"/>).</summary>
    public readonly int DependentCount =>
        _firstDependentPlusOne == 0 ? 0 : 1 + (_otherDependents?.Count ?? 0);

    /// <summary>The place of the <paramref name="index"/>th holder whose expressions read this node.</summary>
    public readonly int DependentAt(int index) =>
        index == 0 ? _firstDependentPlusOne - 1 : _otherDependents![index - 1];

    /// <summary>Records that the holder at <paramref name="holder"/> reads this node.</summary>
    public void AddDependent(int holder)
    {
        if (_firstDependentPlusOne == 0)
        {
            _firstDependentPlusOne = holder + 1;
        }
        else
        {
            (_otherDependents ??= new List<int>(1)).Add(holder);
        }
    }

    /// <summary>Forgets one record of the holder at <paramref name="holder"/> reading this node.</summary>
    public void RemoveDependent(int holder)
    {
        if (_firstDependentPlusOne == holder + 1)
        {
            if (_otherDependents is { Count: > 0 } others)
            {
                _firstDependentPlusOne = others[^1] + 1;
                others.RemoveAt(others.Count - 1);
            }
            else
            {
                _firstDependentPlusOne = 0;
            }
        }
        else
        {
            _otherDependents?.Remove(holder);
        }
    }

    /// <summary>How many entries this node's expressions read (see <see cref="ReadAt"/>).</summary>
    public readonly int ReadCount => _firstReadPlusOne == 0 ? 0 : 1 + (_otherReads?.Length ?? 0);

    /// <summary>The place of the <paramref name="index"/>th entry this node's expressions read.</summary>
    public readonly int ReadAt(int index) => index == 0 ? _firstReadPlusOne - 1 : _otherReads![index - 1];

    /// <summary>Forgets what this node's expressions read (the entries read are told by the caller).</summary>
    public void ClearReads() => (_firstReadPlusOne, _otherReads) = (0, null);

    /// <summary>Sets what this node's expressions read, from <paramref name="reads"/> (copied).</summary>
    public void SetReads(List<int> reads)
    {
        _firstReadPlusOne = reads.Count == 0 ? 0 : reads[0] + 1;
        _otherReads = null;
        if (reads.Count > 1)
        {
            _otherReads = new int[reads.Count - 1];
            reads.CopyTo(1, _otherReads, 0, _otherReads.Length);
        }
    }
}

/// <summary>What the scheduler keeps per flow.</summary>
internal sealed class FlowState
{
    /// <summary>The flow's clock, valid for pass <see cref="ClockPass"/>.</summary>
    public FlowClock Clock { get; set; }

    public long ClockPass { get; set; } = -1;

    /// <summary>The calendar minute last seen, to re-evaluate expressions that read the calendar.</summary>
    public DateTime CalendarMinute { get; set; }
}

/// <summary>
/// What a node's <see cref="Node.SchedulingSlot"/> holds: which scheduler indexed it, and which of its index builds
/// (the node's place is in <see cref="Node.SchedulingIndex"/>). One object per build, shared by every node.
/// </summary>
internal sealed class ScheduleIndexBuild(Scheduler owner)
{
    public Scheduler Owner { get; } = owner;
}
