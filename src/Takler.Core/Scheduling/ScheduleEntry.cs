using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Scheduling;

/// <summary>
/// The scheduler's cached view of one node: its place in tree order, whether its own dependencies (and those above
/// it) let things below it run, whether it is a task that may be submitted, its next wake-up, and the holders whose
/// expressions read it.
/// </summary>
internal sealed class ScheduleEntry
{
    public ScheduleEntry(object owner, int generation, Node node, ScheduleEntry? parent, int order)
    {
        Owner = owner;
        Generation = generation;
        Node = node;
        Parent = parent;
        FlowEntry = parent?.FlowEntry ?? this;
        Order = order;
    }

    /// <summary>The scheduler that made the entry, and which of its index builds.</summary>
    public object Owner { get; }

    public int Generation { get; }

    public Node Node { get; }

    public ScheduleEntry? Parent { get; }

    /// <summary>The entry of the node's flow (itself for a flow).</summary>
    public ScheduleEntry FlowEntry { get; }

    /// <summary>Pre-order index over all flows: ancestors come first, siblings in order.</summary>
    public int Order { get; }

    /// <summary>One past the order of the last node below this one (descendants are contiguous in order).</summary>
    public int SubtreeEnd { get; set; }

    /// <summary>The flow has begun, nothing on this node or above it is suspended, and their times and triggers hold.</summary>
    public bool Open { get; set; }

    /// <summary>Queued for re-evaluation.</summary>
    public bool Dirty { get; set; }

    /// <summary>A task that passes every check but the limits.</summary>
    public bool Runnable { get; set; }

    /// <summary>A runnable task that is an aborted one due for its next try.</summary>
    public bool IsRetry { get; set; }

    /// <summary>TAKLER_PRIORITY, read when the task became runnable.</summary>
    public int Priority { get; set; }

    /// <summary>When the node must be looked at again (a slot, a retry, a late limit), if ever.</summary>
    public DateTimeOffset? TimerAt
    {
        get => _hasTimer ? _timerAt : null;
        set => (_hasTimer, _timerAt) = (value.HasValue, value.GetValueOrDefault());
    }

    // TimerAt's parts: a DateTimeOffset? field would take 8 bytes more than these in each of 100,000 entries.
    private DateTimeOffset _timerAt;
    private bool _hasTimer;

    /// <summary>
    /// The holders whose trigger or complete expressions read this node: null, one <see cref="ScheduleEntry"/>, or a
    /// <see cref="List{T}"/> of them. Most nodes are read by one holder (the next task waits for this one), so a list
    /// per node would be 100,000 small objects made by every rebuild for nothing.
    /// </summary>
    private object? _dependents;

    /// <summary>The entries this node's expressions read (to unregister when they change): null, one entry, or an array.</summary>
    private object? _dependsOn;

    /// <summary>How many holders read this node (see <see cref="DependentAt"/>).</summary>
    public int DependentCount => _dependents switch
    {
        null => 0,
        ScheduleEntry => 1,
        var many => ((List<ScheduleEntry>)many).Count,
    };

    /// <summary>The <paramref name="index"/>th holder whose expressions read this node.</summary>
    public ScheduleEntry DependentAt(int index) =>
        _dependents as ScheduleEntry ?? ((List<ScheduleEntry>)_dependents!)[index];

    /// <summary>Records that <paramref name="holder"/>'s expressions read this node.</summary>
    public void AddDependent(ScheduleEntry holder)
    {
        switch (_dependents)
        {
            case null:
                _dependents = holder;
                break;
            case ScheduleEntry one:
                _dependents = new List<ScheduleEntry>(2) { one, holder };
                break;
            default:
                ((List<ScheduleEntry>)_dependents).Add(holder);
                break;
        }
    }

    /// <summary>Forgets one record of <paramref name="holder"/> reading this node.</summary>
    public void RemoveDependent(ScheduleEntry holder)
    {
        if (ReferenceEquals(_dependents, holder))
        {
            _dependents = null;
        }
        else if (_dependents is List<ScheduleEntry> many)
        {
            many.Remove(holder);
        }
    }

    /// <summary>Sets what this node's expressions read, from <paramref name="reads"/> (copied).</summary>
    public void SetDependsOn(List<ScheduleEntry> reads) => _dependsOn = reads.Count switch
    {
        0 => null,
        1 => reads[0],
        _ => reads.ToArray(),
    };

    /// <summary>Unregisters this node from every entry its expressions read, and forgets them.</summary>
    public void ClearDependsOn()
    {
        switch (_dependsOn)
        {
            case ScheduleEntry one:
                one.RemoveDependent(this);
                break;
            case ScheduleEntry[] many:
                foreach (var read in many)
                {
                    read.RemoveDependent(this);
                }

                break;
            default:
                break;
        }

        _dependsOn = null;
    }

    /// <summary>The trigger and complete read when the dependents were registered, and their number of parts (parts are only ever added).</summary>
    public ExpressionAttribute? TriggerRef { get; set; }

    public int TriggerParts { get; set; }

    public ExpressionAttribute? CompleteRef { get; set; }

    public int CompleteParts { get; set; }

    /// <summary>The node's own late and in-limit count when the inherited data below were computed.</summary>
    public LateAttribute? OwnLate { get; set; }

    public int OwnInLimits { get; set; }

    /// <summary>The late limits that apply here (own aspects, then inherited).</summary>
    public LateAttribute? Late { get; set; }

    /// <summary>The node or one above it has an in-limit.</summary>
    public bool HasInLimits { get; set; }

    /// <summary>For a flow: its clock for the current pass and the calendar minute last seen.</summary>
    public FlowState? FlowState { get; set; }
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
