using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Takler.Core.Scheduling;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core;

/// <summary>
/// The commands that change a tree: begin, requeue, suspend, resume, run, force, free-dep and the job's child
/// commands. Each validates everything first and mutates second, so a rejected call changes nothing.
/// Multi-path commands check every path before changing any.
/// </summary>
public sealed class Operations
{
    private readonly Bunch _bunch;
    private readonly TimeProvider _time;

    public Operations(Bunch bunch, TimeProvider time)
    {
        _bunch = bunch;
        _time = time;
    }

    /// <summary>The bunch operated on.</summary>
    public Bunch Bunch => _bunch;

    /// <summary>
    /// Begins a flow (or every flow when <paramref name="flowName"/> is empty, all or nothing): starts its calendar
    /// and requeues the whole tree. A flow that has begun is an error unless <paramref name="force"/>.
    /// </summary>
    public IReadOnlyList<Flow> Begin(string? flowName, bool force = false)
    {
        List<Flow> flows;
        if (string.IsNullOrEmpty(flowName))
        {
            flows = [.. _bunch.Flows];
        }
        else
        {
            flows = [_bunch.FindFlow(flowName) ?? throw new TaklerException(TaklerErrorCode.NodeNotFound, $"flow is not found: {flowName}")];
        }

        if (!force && flows.FirstOrDefault(f => f.Begun) is { } begun)
        {
            throw new TaklerException(TaklerErrorCode.FlowState, $"flow is already begun: {begun.Name}");
        }

        var instant = _time.GetUtcNow();
        var now = TimeZoneInfo.ConvertTime(instant, _time.LocalTimeZone).DateTime;
        foreach (var flow in flows)
        {
            flow.Begun = true;
            flow.Calendar.Clear();
            flow.Calendar.Begin(now, flow.ToFlowTime(now));
            RequeueTree(flow, resetOwnRepeat: true, instant);
        }

        return flows;
    }

    /// <summary>
    /// Requeues nodes: statuses back to their default, events to initial, meters to min, labels to default,
    /// repeats to start, latches cleared, try numbers reset; limit tokens released; ancestors recomputed.
    /// </summary>
    public void Requeue(IReadOnlyList<string> paths)
    {
        var nodes = ResolveAll(paths, requireBegun: true);
        foreach (var node in nodes)
        {
            RequeueTree(node, resetOwnRepeat: true);
        }
    }

    /// <summary>Sets the suspended flag.</summary>
    public void Suspend(IReadOnlyList<string> paths) => SetSuspended(paths, true);

    /// <summary>Clears the suspended flag.</summary>
    public void Resume(IReadOnlyList<string> paths) => SetSuspended(paths, false);

    /// <summary>
    /// The tasks to submit now, ignoring their dependencies: each task named, and every task below a family named.
    /// A task that is submitted or active is skipped unless <paramref name="force"/>. Submitting is the caller's
    /// (<see cref="Submit"/>).
    /// </summary>
    public IReadOnlyList<Task> Run(IReadOnlyList<string> paths, bool force = false)
    {
        var nodes = ResolveAll(paths, requireBegun: true);
        var tasks = new List<Task>();
        foreach (var node in nodes)
        {
            foreach (var task in node.SelfAndDescendants().OfType<Task>())
            {
                if (!force && task.Status is NodeStatus.Submitted or NodeStatus.Active)
                {
                    continue;
                }

                if (!tasks.Contains(task))
                {
                    tasks.Add(task);
                }
            }
        }

        return tasks;
    }

    /// <summary>
    /// Queues tasks to run as soon as their limits allow: each task of <see cref="Run"/> (submitted and active ones
    /// skipped) is requeued with its own trigger and time dependencies freed until its next requeue, and with
    /// <paramref name="priority"/>, when given, set as its own TAKLER_PRIORITY parameter (it stays on the task). The
    /// scheduler then submits it in priority order among the tasks waiting for the same tokens. Returns the tasks queued.
    /// </summary>
    public IReadOnlyList<Task> RunQueued(IReadOnlyList<string> paths, int? priority = null)
    {
        var tasks = Run(paths, force: false);
        foreach (var task in tasks)
        {
            RequeueTree(task, resetOwnRepeat: true);
            FreeDependencies(task, FreeDepKind.All);
            if (priority is { } value)
            {
                task.AddParameter(Parameter.Integer(TaskParameters.Priority, value));
            }

            // The scheduler reads the priority when it looks at the task again, which this makes it do.
            task.NotifyAttributeChanged();
        }

        return tasks;
    }

    /// <summary>Marks a task submitted for its next try, with the job's password; tokens of its limits are taken.</summary>
    public void Submit(Task task, string password) => task.MarkSubmitted(password, _time.GetUtcNow());

    /// <summary>A submission that failed before the job ran: the task aborts with the reason.</summary>
    public void SubmissionFailed(Task task, string reason)
    {
        task.AbortedReason = reason;
        task.FinishedAt = _time.GetUtcNow();
        task.SetStatus(NodeStatus.Aborted);
    }

    /// <summary>
    /// Forces a status (on the node, and with <paramref name="recursive"/> on every node below), or sets/clears an
    /// event given as `path:event`.
    /// </summary>
    public void Force(ForceTarget target, bool recursive, IReadOnlyList<string> paths)
    {
        var resolved = new List<(Node Node, Event? Event)>();
        foreach (var path in paths)
        {
            var (nodePath, attribute) = SplitAttributePath(path);
            var node = _bunch.FindNode(nodePath) ?? throw TaklerException.NodeNotFound(nodePath);
            RequireBegun(node);
            if (attribute is null)
            {
                if (target.Status is null)
                {
                    throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"state {target} is not supported for Node: {path}");
                }

                resolved.Add((node, null));
                continue;
            }

            var ev = node.FindEvent(attribute);
            if (ev is null)
            {
                if (node.FindMeter(attribute) is not null || node.FindLabel(attribute) is not null || node.FindParameterValue(attribute) is not null)
                {
                    throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"only events can be forced: {path}");
                }

                throw new TaklerException(TaklerErrorCode.NodeNotFound, $"path is not found: {path}");
            }

            if (target.EventValue is null)
            {
                throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"state {target} is not supported for Event: {path}");
            }

            resolved.Add((node, ev));
        }

        foreach (var (node, ev) in resolved)
        {
            if (ev is not null)
            {
                ev.Value = target.EventValue!.Value;
                node.NotifyAttributeChanged();
                continue;
            }

            var status = target.Status!.Value;
            if (recursive && node is NodeContainer container)
            {
                foreach (var n in node.SelfAndDescendants())
                {
                    ForceOne(n, status, propagate: false);
                }

                container.Parent?.RecomputeStatus();
            }
            else
            {
                ForceOne(node, status, propagate: true);
            }

            if (status == NodeStatus.Complete)
            {
                AfterCompletion(node);
            }
        }
    }

    /// <summary>Frees the trigger and/or time dependencies of nodes until their next requeue.</summary>
    public void FreeDep(FreeDepKind kind, IReadOnlyList<string> paths)
    {
        var nodes = ResolveAll(paths, requireBegun: true);
        foreach (var node in nodes)
        {
            FreeDependencies(node, kind);
        }
    }

    private static void FreeDependencies(Node node, FreeDepKind kind)
    {
        if (kind is FreeDepKind.All or FreeDepKind.Trigger && node.Trigger is { } trigger)
        {
            trigger.Free = true;
        }

        if (kind is FreeDepKind.All or FreeDepKind.Time)
        {
            foreach (var t in node.Times)
            {
                t.Free = true;
            }

            foreach (var d in node.Dates)
            {
                d.Free = true;
            }

            foreach (var d in node.Days)
            {
                d.Free = true;
            }

            foreach (var c in node.Crons)
            {
                c.Free = true;
            }
        }

        node.NotifyAttributeChanged();
    }

    /// <summary>Child command `init`: the job started; the task becomes active with the job's id.</summary>
    public Task Init(string path, string? taskId)
    {
        var task = ChildTask(path, "init");
        if (task.Status == NodeStatus.Active && task.TaskId == taskId)
        {
            return task;
        }

        if (task.Status != NodeStatus.Submitted)
        {
            throw WrongState(task, "init", task.Status == NodeStatus.Active ? $"already active with id {task.TaskId}" : null);
        }

        task.TaskId = taskId;
        task.ActiveAt = _time.GetUtcNow();
        task.SetStatus(NodeStatus.Active);
        return task;
    }

    /// <summary>Child command `complete`.</summary>
    public Task CompleteTask(string path)
    {
        var task = ChildTask(path, "complete");
        RequireRunning(task, "complete");
        task.FinishedAt = _time.GetUtcNow();
        task.SetStatus(NodeStatus.Complete);
        AfterCompletion(task);
        return task;
    }

    /// <summary>Child command `abort`, with the job's reason.</summary>
    public Task Abort(string path, string? reason)
    {
        var task = ChildTask(path, "abort");
        RequireRunning(task, "abort");
        task.AbortedReason = string.IsNullOrEmpty(reason) ? "aborted" : reason;
        task.FinishedAt = _time.GetUtcNow();
        task.SetStatus(NodeStatus.Aborted);
        return task;
    }

    /// <summary>Operator kill or abort: the task aborts with the reason and is not retried automatically.</summary>
    public void AbortByOperator(Task task, string reason)
    {
        task.AbortedReason = reason;
        task.AbortedByOperator = true;
        task.FinishedAt = _time.GetUtcNow();
        task.SetStatus(NodeStatus.Aborted);
    }

    /// <summary>Child command `event`: sets (or clears) an event. False when the task has no such event.</summary>
    public bool SetEvent(string path, string name, bool value = true)
    {
        var task = ChildTask(path, "event");
        RequireRunning(task, "event");
        var ev = task.FindEvent(name);
        if (ev is null)
        {
            return false;
        }

        ev.Value = value;
        task.NotifyAttributeChanged();
        return true;
    }

    /// <summary>Child command `meter`: a value outside the meter's range is rejected. False when there is no such meter.</summary>
    public bool SetMeter(string path, string name, int value)
    {
        var task = ChildTask(path, "meter");
        RequireRunning(task, "meter");
        var meter = task.FindMeter(name);
        if (meter is null)
        {
            return false;
        }

        meter.SetValue(value);
        task.NotifyAttributeChanged();
        return true;
    }

    /// <summary>Child command `label`: sets a label's text. False when there is no such label.</summary>
    public bool SetLabel(string path, string name, string text)
    {
        var task = ChildTask(path, "label");
        RequireRunning(task, "label");
        var label = task.FindLabel(name);
        if (label is null)
        {
            return false;
        }

        label.Text = text;
        task.NotifyAttributeChanged();
        return true;
    }

    /// <summary>
    /// After a node completes, for it and then each complete ancestor (nearest first): a node with a time series
    /// that has a slot left that day, or with a cron, requeues itself for the next slot (ecFlow checks time
    /// dependencies before the repeat); otherwise a repeat with a next value advances and its subtree is requeued.
    /// After the last value the node stays complete and its parent is considered.
    /// </summary>
    public void AfterCompletion(Node node) => AfterCompletion(node, _time.GetUtcNow());

    /// <summary><see cref="AfterCompletion(Node)"/> at an explicit instant.</summary>
    internal void AfterCompletion(Node node, DateTimeOffset now)
    {
        for (Node? n = node; n is not null; n = n.Parent)
        {
            if (n.Status != NodeStatus.Complete)
            {
                return;
            }

            if (n.Flow is { } flow &&
                TimeDependencies.PlanNextSlot(n, FlowClock.For(flow, _time.LocalTimeZone, now), now) is { } plan)
            {
                var requeuedAt = n.RequeuedAt;
                RequeueTree(n, resetOwnRepeat: false, now);
                plan.Apply();
                n.RequeuedAt = requeuedAt; // relative times keep counting from the real requeue
                n.NotifyAttributeChanged();
                return;
            }

            if (n.Repeat is { } repeat && !repeat.IsExhausted)
            {
                if (repeat.Advance())
                {
                    RequeueTree(n, resetOwnRepeat: false, now);
                    n.NotifyAttributeChanged();
                    return;
                }

                n.NotifyAttributeChanged();
            }
        }
    }

    /// <summary>Requeues a subtree: default statuses, attributes reset, containers recomputed bottom-up.</summary>
    internal void RequeueTree(Node root, bool resetOwnRepeat) => RequeueTree(root, resetOwnRepeat, _time.GetUtcNow());

    /// <summary>Requeues a subtree at <paramref name="now"/> (each node's <see cref="Node.RequeuedAt"/>).</summary>
    internal static void RequeueTree(Node root, bool resetOwnRepeat, DateTimeOffset now)
    {
        var inherited = InheritedDefault(root);
        Requeue(root, inherited, resetOwnRepeat, isRoot: true, now);
        if (root is NodeContainer container)
        {
            container.RecomputeSubtree();
        }
        else
        {
            root.Parent?.RecomputeStatus();
        }

        static DefaultStatus? InheritedDefault(Node node)
        {
            // A container's non-queued default applies to everything below it (Takler: children of a complete family are complete).
            for (var p = node.Parent; p is not null; p = p.Parent)
            {
                if (p.DefaultStatus is DefaultStatus.Complete)
                {
                    return p.DefaultStatus;
                }
            }

            return null;
        }
    }

    private static void Requeue(Node node, DefaultStatus? inherited, bool resetOwnRepeat, bool isRoot, DateTimeOffset now)
    {
        node.ResetAttributes(resetRepeat: resetOwnRepeat || !isRoot);
        node.RequeuedAt = now;
        var effective = inherited ?? node.DefaultStatus;
        if (node.DefaultStatus == DefaultStatus.Suspended)
        {
            node.Suspended = true;
        }

        if (node is NodeContainer container)
        {
            var childInherited = node.DefaultStatus is DefaultStatus.Complete ? DefaultStatus.Complete : inherited;
            foreach (var child in container.Children)
            {
                Requeue(child, childInherited, resetOwnRepeat, isRoot: false, now);
            }

            if (container.Children.Count == 0)
            {
                node.SetStatus(effective.ToStatus(), propagate: false);
            }
        }
        else
        {
            node.SetStatus(effective.ToStatus(), propagate: false);
        }

        node.NotifyAttributeChanged();
    }

    private static void ForceOne(Node node, NodeStatus status, bool propagate)
    {
        if (node is Task task)
        {
            if (status == NodeStatus.Aborted)
            {
                task.AbortedByOperator = true;
                task.AbortedReason ??= "forced to aborted";
            }
            else if (status is NodeStatus.Queued or NodeStatus.Unknown)
            {
                task.AbortedReason = null;
            }
        }

        node.SetStatus(status, propagate);
        node.NotifyAttributeChanged(); // the abort reason and operator flag change even when the status does not
    }

    private void SetSuspended(IReadOnlyList<string> paths, bool value)
    {
        var nodes = ResolveAll(paths, requireBegun: false);
        foreach (var node in nodes)
        {
            node.Suspended = value;
            node.NotifyAttributeChanged();
        }
    }

    private List<Node> ResolveAll(IReadOnlyList<string> paths, bool requireBegun)
    {
        if (paths.Count == 0)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, "no node path given");
        }

        var nodes = new List<Node>(paths.Count);
        foreach (var path in paths)
        {
            var node = _bunch.FindNode(path) ?? throw TaklerException.NodeNotFound(path);
            if (requireBegun)
            {
                RequireBegun(node);
            }

            nodes.Add(node);
        }

        return nodes;
    }

    private static void RequireBegun(Node node)
    {
        if (node.Flow is { Begun: false } flow)
        {
            throw new TaklerException(TaklerErrorCode.FlowState, $"flow is not begun: {flow.Name}");
        }
    }

    private Task ChildTask(string path, string command)
    {
        var node = _bunch.FindNode(path) ?? throw TaklerException.NodeNotFound(path);
        return node as Task ?? throw new TaklerException(TaklerErrorCode.NodeType, $"node must be Task: {path} ({command})");
    }

    private static void RequireRunning(Task task, string command)
    {
        if (task.Status is not (NodeStatus.Submitted or NodeStatus.Active))
        {
            throw WrongState(task, command, null);
        }
    }

    private static TaklerException WrongState(Task task, string command, string? detail) =>
        new(
            TaklerErrorCode.Zombie,
            $"{command} is only valid for a submitted or active task: {task.Path} is {detail ?? task.Status.Name()}");

    /// <summary>Splits `/f/t:name` into the node path and the attribute name.</summary>
    internal static (string Node, string? Attribute) SplitAttributePath(string path)
    {
        var colon = path.LastIndexOf(':');
        return colon < 0 ? (path, null) : (path[..colon], path[(colon + 1)..]);
    }
}
