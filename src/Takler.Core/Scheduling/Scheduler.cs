using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Scheduling;

/// <summary>
/// The scheduling rules over a <see cref="Bunch"/>: for an instant, which tasks may be submitted, which nodes their
/// complete expression completes, which tasks are late, when the answer can next change without a command
/// (<see cref="SchedulingPass.NextChange"/>), and for any node why it is not running (<see cref="Why"/>).
/// <para>
/// Each node is checked in this order: flow begun; not suspended (itself or above); status allows running (queued,
/// or aborted with tries left and its retry delay over); time, date, day and cron; complete expression (when it
/// holds the node completes without running); trigger; in-limits. A family's time dependencies and trigger hold
/// everything below it. A broken expression or reference holds only its own node.
/// </para>
/// <para>
/// The scheduler registers itself as the bunch's <see cref="Bunch.Observer"/> (next to one already set, through a
/// <see cref="CompositeNodeObserver"/>): a status or attribute change marks the node and the holders whose
/// expressions read it (the dependents index) for <see cref="IncrementalPass"/>. An edit of a node's definition
/// (trigger, complete, times, late, in-limits) is picked up when the node is reported with
/// <see cref="INodeObserver.AttributeChanged"/>; nodes added or removed are reported by the tree itself
/// (<see cref="INodeObserver.TreeChanged"/>) and make the next pass a full one.
/// Not thread-safe: the engine's single writer calls it.
/// </para>
/// </summary>
public sealed class Scheduler : INodeObserver
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly Bunch _bunch;
    private readonly IExpressionEvaluator _evaluator;
    private readonly TimeProvider _time;
    private readonly Operations _operations;

    // Entries are named by their place in _entries (their tree order) everywhere below.
    private readonly PriorityQueue<int, int> _dirty = new();
    private readonly PriorityQueue<int, DateTimeOffset> _timers = new();
    private readonly HashSet<int> _runnable = [];
    private readonly List<int> _deferred = [];
    private readonly HashSet<Node> _completedThisPass = new(ReferenceEqualityComparer.Instance);
    private readonly List<int> _readsBuffer = [];
    private readonly List<Node> _nodesBuffer = [];
    private Dictionary<Node, int>? _byNode;
    private ScheduleIndexBuild? _build;
    private ScheduleEntry[] _entries = [];
    private int[] _flows = [];
    private FlowState[] _flowStates = [];
    private bool _structureDirty = true;
    private bool _evaluationStale = true;
    private long _pass;
    private DateTimeOffset _now;
    private bool _immediate;
    private int _evaluated;
    private List<Node> _completed = [];
    private List<Task> _late = [];

    public Scheduler(Bunch bunch, IExpressionEvaluator evaluator, TimeProvider time)
    {
        _bunch = bunch;
        _evaluator = evaluator;
        _time = time;
        _operations = new Operations(bunch, time);
        bunch.Observer = bunch.Observer is null ? this : new CompositeNodeObserver(bunch.Observer, this);
    }

    /// <summary>The bunch scheduled.</summary>
    public Bunch Bunch => _bunch;

    /// <summary>How many nodes wait for re-evaluation by the next <see cref="IncrementalPass"/>.</summary>
    public int PendingCount => _structureDirty ? _bunch.Flows.Count : _dirty.Count;

    /// <summary>Moves the calendar of every begun flow to <paramref name="now"/> (DATE, TIME and the ecFlow date variables follow).</summary>
    public void UpdateCalendars(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, _time.LocalTimeZone).DateTime;
        foreach (var flow in _bunch.Flows)
        {
            if (flow.Begun)
            {
                flow.Calendar.Update(local, flow.ToFlowTime(local));
            }
        }
    }

    /// <summary>Rebuilds the tree order, the dependents index and the inherited late and in-limit data (done by the first pass and after a change of shape).</summary>
    public void Rebuild()
    {
        _build = new ScheduleIndexBuild(this);
        _byNode = null;
        _runnable.Clear();
        _dirty.Clear();
        _timers.Clear();
        _deferred.Clear();
        _evaluationStale = true;

        // Counted first, so the index is one array made once (not a list grown by doubling, then copied).
        var flows = _bunch.Flows;
        var count = 0;
        foreach (var flow in flows)
        {
            count += CountSubtree(flow);
        }

        if (count == _entries.Length)
        {
            Array.Clear(_entries);
        }
        else
        {
            _entries = new ScheduleEntry[count];
        }

        _flows = new int[flows.Count];
        _flowStates = new FlowState[flows.Count];
        var next = 0;
        var f = 0;
        foreach (var flow in flows)
        {
            _flows[f] = next;
            _flowStates[f] = new FlowState();
            Add(flow, -1, f++);
        }

        for (var i = 0; i < _entries.Length; i++)
        {
            RegisterExpressions(i);
        }

        _structureDirty = false;

        // Recursion instead of SelfAndDescendants(): no enumerator per node (trees are a few levels deep).
        void Add(Node node, int parent, int flowNumber)
        {
            var order = next++;
            ref var entry = ref _entries[order];
            entry.Node = node;
            entry.Parent = parent;
            entry.FlowNumber = flowNumber;
            Inherit(ref entry, parent < 0 ? null : _entries[parent].Late, parent >= 0 && _entries[parent].HasInLimits);
            node.SchedulingSlot = _build;
            node.SchedulingIndex = order;
            var children = node.Children;
            for (var i = 0; i < children.Count; i++)
            {
                Add(children[i], order, flowNumber);
            }

            _entries[order].SubtreeEnd = next;
        }
    }

    private static int CountSubtree(Node node)
    {
        var count = 1;
        var children = node.Children;
        for (var i = 0; i < children.Count; i++)
        {
            count += CountSubtree(children[i]);
        }

        return count;
    }

    /// <summary>Re-evaluates every node at <paramref name="now"/>.</summary>
    public SchedulingPass FullPass(DateTimeOffset now)
    {
        StartPass(now);
        if (_structureDirty)
        {
            Rebuild();
        }
        else
        {
            while (_dirty.TryDequeue(out var stale, out _))
            {
                _entries[stale].Dirty = false;
            }

            _timers.Clear();
            _deferred.Clear();
        }

        for (var f = 0; f < _flows.Length; f++)
        {
            _flowStates[f].CalendarMinute = TimeDependencies.FloorMinute(ClockOf(f).ToFlowTime(now));
        }

        // An entry's timer is forgotten just before it is evaluated: nothing reads another entry's timer meanwhile.
        for (var i = 0; i < _entries.Length; i++)
        {
            _entries[i].TimerAt = null;
            _entries[i].Dirty = false;
            Evaluate(i, propagate: false);
        }

        _evaluationStale = false;
        Drain();
        return Finish();
    }

    /// <summary>
    /// Re-evaluates only what may have changed since the last pass: the nodes changed (and the holders whose
    /// expressions read them), nodes below a family whose dependencies changed, and nodes whose time came.
    /// </summary>
    public SchedulingPass IncrementalPass(DateTimeOffset now)
    {
        if (_structureDirty || _evaluationStale)
        {
            return FullPass(now);
        }

        StartPass(now);
        foreach (var entry in _deferred)
        {
            MarkDirty(entry);
        }

        _deferred.Clear();
        while (_timers.TryPeek(out var entry, out var at) && at <= now)
        {
            _timers.Dequeue();
            if (_entries[entry].TimerAt == at)
            {
                _entries[entry].TimerAt = null;
                MarkDirty(entry);
            }
        }

        for (var f = 0; f < _flows.Length; f++)
        {
            var flow = _flows[f];
            if (_entries[flow].DependentCount == 0)
            {
                continue;
            }

            var minute = TimeDependencies.FloorMinute(ClockOf(f).ToFlowTime(now));
            var state = _flowStates[f];
            if (minute != state.CalendarMinute)
            {
                state.CalendarMinute = minute;
                MarkDependentsDirty(flow);
            }
        }

        Drain();
        return Finish();
    }

    /// <summary>
    /// Why <paramref name="node"/> is not running at <paramref name="now"/>: one sentence per reason that holds it, in
    /// the order of the checks (empty when nothing holds it). For a family with nothing of its own, the first reason
    /// of each waiting child.
    /// </summary>
    public IReadOnlyList<string> Why(Node node, DateTimeOffset now) => WhyCore(node, now, summariseChildren: true);

    void INodeObserver.StatusChanged(Node node, NodeStatus old) => Touch(node);

    void INodeObserver.AttributeChanged(Node node) => Touch(node);

    void INodeObserver.TreeChanged(NodeContainer? container) => _structureDirty = true;

    private void Touch(Node node)
    {
        if (_structureDirty || EntryOf(node) is not { } entry)
        {
            return;
        }

        MarkDirty(entry);
        MarkDependentsDirty(entry);
    }

    private void MarkDependentsDirty(int entry)
    {
        var count = _entries[entry].DependentCount;
        for (var i = 0; i < count; i++)
        {
            MarkDirty(_entries[entry].DependentAt(i));
        }
    }

    /// <summary>Computes the late and in-limit data the entry inherits from its parent's (<paramref name="parentLate"/>, <paramref name="parentHasInLimits"/>).</summary>
    private static void Inherit(ref ScheduleEntry entry, LateAttribute? parentLate, bool parentHasInLimits)
    {
        var node = entry.Node;
        var inLimits = node.InLimits.Count;
        entry.OwnLate = node.Late;
        entry.OwnInLimits = inLimits;
        entry.Late = LateRules.Merge(node.Late, parentLate);
        entry.HasInLimits = inLimits > 0 || parentHasInLimits;
    }

    /// <summary>After a node's own late or in-limits changed: recomputes what the nodes below inherit, and looks at them again.</summary>
    private void RefreshInherited(int order)
    {
        ref var entry = ref _entries[order];
        if (entry.Node.Late == entry.OwnLate && entry.Node.InLimits.Count == entry.OwnInLimits)
        {
            return;
        }

        for (var i = order; i < entry.SubtreeEnd; i++)
        {
            ref var below = ref _entries[i];
            var parent = below.Parent;
            Inherit(ref below, parent < 0 ? null : _entries[parent].Late, parent >= 0 && _entries[parent].HasInLimits);
            if (i != order)
            {
                MarkDirty(i);
            }
        }
    }

    /// <summary>The place of a node's entry in the current index; null for a node added or removed since.</summary>
    private int? EntryOf(Node node)
    {
        if (node.SchedulingSlot is ScheduleIndexBuild build && build.Owner == this)
        {
            return build == _build ? node.SchedulingIndex : null;
        }

        if (node.SchedulingSlot is null)
        {
            return null;
        }

        // Another scheduler indexed the same tree after this one: look the node up instead.
        if (_byNode is null)
        {
            _byNode = new Dictionary<Node, int>(_entries.Length, ReferenceEqualityComparer.Instance);
            for (var i = 0; i < _entries.Length; i++)
            {
                _byNode[_entries[i].Node] = i;
            }
        }

        return _byNode.TryGetValue(node, out var found) ? found : null;
    }

    private void MarkDirty(int entry)
    {
        if (!_entries[entry].Dirty)
        {
            _entries[entry].Dirty = true;
            _dirty.Enqueue(entry, entry);
        }
    }

    private void StartPass(DateTimeOffset now)
    {
        _pass++;
        _now = now;
        _immediate = false;
        _evaluated = 0;
        _completed = [];
        _late = [];
        _completedThisPass.Clear();
        UpdateCalendars(now);
    }

    private void Drain()
    {
        var budget = Math.Max(100_000, _entries.Length * 4);
        while (_dirty.TryDequeue(out var entry, out _))
        {
            if (!_entries[entry].Dirty)
            {
                continue;
            }

            if (budget-- <= 0)
            {
                // Something keeps changing (a complete expression cycling a repeat): finish the pass, come back at once.
                _dirty.Enqueue(entry, entry);
                _immediate = true;
                return;
            }

            _entries[entry].Dirty = false;
            Evaluate(entry, propagate: true);
        }
    }

    private void Evaluate(int order, bool propagate)
    {
        _evaluated++;
        ref var entry = ref _entries[order];
        var node = entry.Node;
        RefreshExpressions(order);
        RefreshInherited(order);
        var flowNumber = entry.FlowNumber;
        var flow = (Flow)_entries[_flows[flowNumber]].Node;
        var parent = entry.Parent;
        var wasOpen = entry.Open;
        var open = false;
        var runnable = false;
        var retry = false;
        DateTimeOffset? wake = null;

        if ((parent < 0 || _entries[parent].Open) && flow.Begun && !node.Suspended)
        {
            var task = node as Task;
            var statusOk = task is null || StatusAllows(task, ref wake, out retry);
            if (statusOk)
            {
                var clock = ClockOf(flowNumber);
                var time = TimeDependencies.Evaluate(node, clock, _now, latch: true);
                if (time.NextDue is { } due)
                {
                    wake = Earliest(wake, Wake(clock, due));
                }

                if (time.Latched)
                {
                    node.NotifyAttributeChanged();
                }

                if (time.Free)
                {
                    var completeHolds = false;
                    var completeBroken = false;
                    if (node.Complete is { } complete && (task is not null || node.Status == NodeStatus.Queued))
                    {
                        var result = EvaluateExpression(node, complete);
                        completeBroken = result.Broken;
                        completeHolds = !result.Broken && result.Value;
                    }

                    if (completeHolds)
                    {
                        ApplyComplete(order);
                    }
                    else if (!completeBroken)
                    {
                        open = node.Trigger is not { } trigger || trigger.Free || IsTrue(EvaluateExpression(node, trigger));
                        runnable = open && task is not null;
                    }
                }
            }
        }

        if (node is Task lateTask && entry.Late is { } late && flow.Begun && !lateTask.IsLate &&
            LateRules.Deadline(lateTask, late, ClockOf(flowNumber), _now) is { } deadline)
        {
            if (deadline.At <= _now)
            {
                lateTask.IsLate = true;
                _late.Add(lateTask);
                lateTask.NotifyAttributeChanged();
            }
            else
            {
                wake = Earliest(wake, deadline.At);
            }
        }

        entry.Open = open;
        SetRunnable(ref entry, order, runnable, retry);
        SetTimer(ref entry, order, wake);
        // Below a family whose openness changed, everything changes; a family's dates and days also move the slots
        // of the times below it (ecFlow 5 guards), so its children are looked at again whenever it is.
        if (propagate && node is NodeContainer && (open != wasOpen || (open && (node.Dates.Count > 0 || node.Days.Count > 0))))
        {
            for (var i = order + 1; i < entry.SubtreeEnd; i = _entries[i].SubtreeEnd)
            {
                MarkDirty(i);
            }
        }
    }

    /// <summary>Queued, or aborted with tries left once the retry delay is over (which becomes a wake-up until then).</summary>
    private bool StatusAllows(Task task, ref DateTimeOffset? wake, out bool retry)
    {
        retry = false;
        switch (task.Status)
        {
            case NodeStatus.Queued:
                return true;
            case NodeStatus.Aborted:
                if (task.AbortedByOperator || task.TryNo >= TaskParameters.TriesOf(task))
                {
                    return false;
                }

                var due = (task.FinishedAt ?? _now) + TaskParameters.RetryDelayOf(task);
                if (due > _now)
                {
                    wake = Earliest(wake, due);
                    return false;
                }

                retry = true;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The node's complete expression holds: it completes without running (a family with everything below it).</summary>
    private void ApplyComplete(int order)
    {
        var node = _entries[order].Node;
        if (!_completedThisPass.Add(node))
        {
            // Completed once already in this pass (a repeat requeued it): leave the next round to the next pass.
            _deferred.Add(order);
            _immediate = true;
            return;
        }

        node.Complete!.Free = true;
        if (node is NodeContainer)
        {
            foreach (var below in node.SelfAndDescendants())
            {
                if (below != node)
                {
                    below.SetStatus(NodeStatus.Complete, propagate: false);
                }
            }
        }

        node.SetStatus(NodeStatus.Complete);
        _completed.Add(node);
        _operations.AfterCompletion(node, _now);
    }

    private void SetRunnable(ref ScheduleEntry entry, int order, bool runnable, bool retry)
    {
        if (runnable)
        {
            entry.IsRetry = retry;
            entry.Priority = TaskParameters.PriorityOf(entry.Node);
            if (!entry.Runnable)
            {
                entry.Runnable = true;
                _runnable.Add(order);
            }
        }
        else if (entry.Runnable)
        {
            entry.Runnable = false;
            entry.IsRetry = false;
            _runnable.Remove(order);
        }
    }

    private void SetTimer(ref ScheduleEntry entry, int order, DateTimeOffset? wake)
    {
        if (wake == entry.TimerAt)
        {
            return;
        }

        entry.TimerAt = wake;
        if (wake is { } at)
        {
            _timers.Enqueue(order, at);
        }
    }

    private SchedulingPass Finish()
    {
        var candidates = new List<int>(_runnable);
        var entries = _entries;
        candidates.Sort((a, b) => entries[a].Priority != entries[b].Priority ? entries[b].Priority.CompareTo(entries[a].Priority) : a.CompareTo(b));
        Dictionary<Limit, int>? pending = null;
        HashSet<(Limit, Node)>? pendingFamilies = null;
        var submit = new List<Task>(candidates.Count);
        var retries = new List<Task>();
        foreach (var order in candidates)
        {
            ref var entry = ref _entries[order];
            var task = (Task)entry.Node;
            if (entry.HasInLimits && !LimitRules.TryReserve(task, pending ??= [], pendingFamilies ??= []))
            {
                continue;
            }

            submit.Add(task);
            if (entry.IsRetry)
            {
                retries.Add(task);
            }
        }

        return new SchedulingPass(submit, retries, _completed, _late, NextChange(), _evaluated);
    }

    private DateTimeOffset? NextChange()
    {
        DateTimeOffset? next = null;
        while (_timers.TryPeek(out var entry, out var at))
        {
            if (_entries[entry].TimerAt == at)
            {
                next = at;
                break;
            }

            _timers.Dequeue();
        }

        if (_timers.Count > 4 * Math.Max(_entries.Length, 16))
        {
            CompactTimers();
        }

        for (var f = 0; f < _flows.Length; f++)
        {
            var flow = _flows[f];
            if (_entries[flow].DependentCount > 0 && ((Flow)_entries[flow].Node).Begun)
            {
                var clock = ClockOf(f);
                next = Earliest(next, Wake(clock, TimeDependencies.FloorMinute(clock.ToFlowTime(_now)) + Minute));
            }
        }

        return _immediate ? _now : next;
    }

    private void CompactTimers()
    {
        _timers.Clear();
        for (var i = 0; i < _entries.Length; i++)
        {
            if (_entries[i].TimerAt is { } at)
            {
                _timers.Enqueue(i, at);
            }
        }
    }

    /// <summary>The real instant of a future flow time; never at or before now, so the engine never spins.</summary>
    private DateTimeOffset Wake(FlowClock clock, DateTime due)
    {
        var at = clock.ToInstant(due);
        if (at > _now)
        {
            return at;
        }

        // Inside a daylight-saving fold the first occurrence of a wall time may be behind us: count the distance instead.
        var distance = due - clock.ToFlowTime(_now);
        return _now + (distance > TimeSpan.Zero ? distance : TimeSpan.FromSeconds(1));
    }

    private FlowClock ClockOf(int flowNumber)
    {
        var state = _flowStates[flowNumber];
        if (state.ClockPass != _pass)
        {
            state.Clock = FlowClock.For((Flow)_entries[_flows[flowNumber]].Node, _time.LocalTimeZone, _now);
            state.ClockPass = _pass;
        }

        return state.Clock;
    }

    private void RegisterExpressions(int order)
    {
        ref var entry = ref _entries[order];
        var node = entry.Node;
        var trigger = node.Trigger;
        var complete = node.Complete;
        entry.TriggerRef = trigger;
        entry.CompleteRef = complete;
        entry.ExpressionParts = PartCount(trigger, complete);
        if (trigger is null && complete is null)
        {
            return; // a new entry, or one whose reads were just cleared: it reads nothing
        }

        var reads = _readsBuffer;
        reads.Clear();
        AddReads(node, trigger, reads);
        AddReads(node, complete, reads);
        entry.SetReads(reads);
        foreach (var read in reads)
        {
            _entries[read].AddDependent(order);
        }
    }

    /// <summary>Adds the places of the entries <paramref name="expression"/> reads to <paramref name="reads"/>, each once.</summary>
    private void AddReads(Node holder, ExpressionAttribute? expression, List<int> reads)
    {
        if (expression is null)
        {
            return;
        }

        var nodes = _nodesBuffer;
        nodes.Clear();
        try
        {
            _evaluator.AddDependencies(holder, expression, nodes);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return; // a broken expression reads nothing; its evaluation says why
        }

        foreach (var read in nodes)
        {
            if (EntryOf(read) is { } readEntry && !reads.Contains(readEntry))
            {
                reads.Add(readEntry);
            }
        }
    }

    private void RefreshExpressions(int order)
    {
        ref var entry = ref _entries[order];
        var node = entry.Node;
        if (node.Trigger == entry.TriggerRef && node.Complete == entry.CompleteRef &&
            PartCount(node.Trigger, node.Complete) == entry.ExpressionParts)
        {
            return;
        }

        var count = entry.ReadCount;
        for (var i = 0; i < count; i++)
        {
            _entries[entry.ReadAt(i)].RemoveDependent(order);
        }

        entry.ClearReads();
        RegisterExpressions(order);
    }

    private static int PartCount(ExpressionAttribute? trigger, ExpressionAttribute? complete) =>
        (trigger?.Parts.Count ?? 0) + (complete?.Parts.Count ?? 0);

    private ExpressionResult EvaluateExpression(Node holder, ExpressionAttribute expression, bool explain = false)
    {
        try
        {
            return _evaluator.Evaluate(holder, expression, explain);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A faulty expression holds its own node only; the rest of the flow goes on.
            return ExpressionResult.BrokenBecause(ex.Message);
        }
    }

    private static bool IsTrue(ExpressionResult result) => result.Value && !result.Broken;

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x <= b ? x : b;

    private List<string> WhyCore(Node node, DateTimeOffset now, bool summariseChildren)
    {
        var reasons = new List<string>();
        if (node.Flow is not { } flow)
        {
            reasons.Add($"{node.Path} is not in a flow");
            return reasons;
        }

        if (!flow.Begun)
        {
            reasons.Add($"flow {flow.Path} is not begun");
        }

        var chain = new List<Node>();
        for (Node? n = node; n is not null; n = n.Parent)
        {
            chain.Add(n);
        }

        chain.Reverse();
        foreach (var n in chain)
        {
            if (n.Suspended)
            {
                reasons.Add($"suspended: {n.Path}");
            }
        }

        var clock = FlowClock.For(flow, _time.LocalTimeZone, now);
        if (StatusReasons(node, now, reasons))
        {
            // A node that is complete or running is not waiting for anything else.
            AddLate(node, clock, now, reasons);
            return reasons;
        }

        foreach (var n in chain)
        {
            TimeDependencies.Describe(n, clock, now, Prefix(n), reasons);
        }

        foreach (var n in chain)
        {
            if (n.Complete is { } complete && (n is Task ? n.Status is NodeStatus.Queued or NodeStatus.Aborted : n.Status == NodeStatus.Queued))
            {
                var result = EvaluateExpression(n, complete, explain: true);
                if (result.Broken)
                {
                    reasons.Add($"{Prefix(n)}complete expression cannot be evaluated: {result.Explanation ?? complete.Text}");
                }
                else if (result.Value && reasons.Count == 0)
                {
                    reasons.Add($"{Prefix(n)}complete expression holds: {complete.Text} (completes without running at the next pass)");
                }
            }
        }

        foreach (var n in chain)
        {
            if (n.Trigger is { Free: false } trigger)
            {
                var result = EvaluateExpression(n, trigger, explain: true);
                if (result.Broken)
                {
                    reasons.Add($"{Prefix(n)}trigger cannot be evaluated: {result.Explanation ?? trigger.Text}");
                }
                else if (!result.Value)
                {
                    reasons.Add($"{Prefix(n)}trigger false: {result.Explanation ?? trigger.Text}");
                }
            }
        }

        if (node is Task task)
        {
            LimitRules.Describe(task, reasons);
            AddLate(task, clock, now, reasons);
        }

        if (summariseChildren && reasons.Count == 0 && node is NodeContainer container)
        {
            const int MaxChildren = 10;
            foreach (var child in container.Children)
            {
                if (child.Status is NodeStatus.Queued or NodeStatus.Aborted &&
                    WhyCore(child, now, summariseChildren: false) is [var first, ..])
                {
                    reasons.Add(first.StartsWith(child.Path, StringComparison.Ordinal) ? first : $"{child.Path}: {first}");
                    if (reasons.Count == MaxChildren)
                    {
                        break;
                    }
                }
            }
        }

        return reasons;

        string Prefix(Node n) => n == node ? string.Empty : $"{n.Path}: ";
    }

    private static void AddLate(Node node, FlowClock clock, DateTimeOffset now, List<string> reasons)
    {
        if (node is Task { IsLate: true } task)
        {
            var late = LateRules.Effective(task) is { } l ? LateRules.Deadline(task, l, clock, now) : null;
            reasons.Add(late is { } d && d.At <= now ? $"late: {d.Reason}" : "late");
        }
    }

    /// <summary>Adds why the status keeps the node from running; true when it is complete, submitted or active (nothing else matters then).</summary>
    private static bool StatusReasons(Node node, DateTimeOffset now, List<string> reasons)
    {
        if (node.Status == NodeStatus.Complete)
        {
            reasons.Add(node.Complete is { Free: true } ? "status is complete (completed by its complete expression)" : "status is complete");
            return true;
        }

        if (node is not Task task)
        {
            return false;
        }

        switch (task.Status)
        {
            case NodeStatus.Queued:
                return false;
            case NodeStatus.Aborted:
                var tries = TaskParameters.TriesOf(task);
                if (task.AbortedByOperator)
                {
                    reasons.Add($"aborted by operator{(task.AbortedReason is { } why ? $": {why}" : string.Empty)} (no automatic retry)");
                }
                else if (task.TryNo >= tries)
                {
                    reasons.Add(FormattableString.Invariant($"aborted: no tries left (try {task.TryNo} of {tries})"));
                }
                else if ((task.FinishedAt ?? now) + TaskParameters.RetryDelayOf(task) is var due && due > now)
                {
                    reasons.Add(FormattableString.Invariant($"aborted: try {task.TryNo + 1} of {tries} is due at {due.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"));
                }

                return false;
            case NodeStatus.Unknown:
                reasons.Add("status is unknown");
                return false;
            default:
                reasons.Add($"status is {task.Status.Name()}");
                return true;
        }
    }
}
