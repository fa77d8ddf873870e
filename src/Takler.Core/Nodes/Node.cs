using System.Globalization;
using Takler.Core.Attributes;

namespace Takler.Core.Nodes;

/// <summary>
/// A node of the tree: a <see cref="Flow"/>, a <see cref="Family"/> or a <see cref="Task"/>. Holds its status,
/// suspended flag, default status and attributes. Attribute lists are allocated on first use, so a tree of
/// 100,000 plain tasks stays small.
/// </summary>
public abstract class Node
{
    private string? _path;
    private AttributeList<Parameter> _parameters;
    private AttributeList<Event> _events;
    private AttributeList<Meter> _meters;
    private AttributeList<Label> _labels;

    // The attributes most nodes have none of live in a side object made on first use: a task of a 100,000-task
    // tree is about 100 bytes smaller, memory a restart would otherwise touch twice (live tree and query copy).
    private RareAttributes? _rare;

    // RequeuedAt as its clock ticks and offset in minutes: a DateTimeOffset field is padded to 16 bytes, and with
    // its Nullable wrapper to 24; these 10 bytes make a task 128 bytes rather than 136. 0 ticks stands for "never".
    private long _requeuedTicks;
    private short _requeuedOffsetMinutes;

    protected Node(string name)
    {
        NodeNames.Validate(name, "node");
        Name = name;
    }

    /// <summary>The node's name, unique among its siblings.</summary>
    public string Name { get; }

    /// <summary>The family or flow holding this node; null for a flow.</summary>
    public NodeContainer? Parent { get; private set; }

    /// <summary>The absolute path, `/flow/family/task`.</summary>
    public string Path => _path ??= Parent is null ? "/" + Name : Parent.Path + "/" + Name;

    /// <summary>The flow at the root of this node's tree, or null when not yet attached to one.</summary>
    public Flow? Flow
    {
        get
        {
            Node node = this;
            while (node.Parent is not null)
            {
                node = node.Parent;
            }

            return node as Flow;
        }
    }

    /// <summary>The server's set of flows this node belongs to, if any.</summary>
    public Bunch? Bunch => Flow?.OwnerBunch;

    /// <summary>How deep the node is: 0 for a flow.</summary>
    public int Depth => Parent is null ? 0 : Parent.Depth + 1;

    /// <summary>The current status. The default value is <see cref="NodeStatus.Unknown"/>.</summary>
    public NodeStatus Status { get; private set; }

    /// <summary>The suspended flag: a suspended node (or one below it) is not submitted.</summary>
    public bool Suspended { get; internal set; }

    /// <summary>The status given on begin and requeue (`defstatus`). The default value is <see cref="Nodes.DefaultStatus.Queued"/>.</summary>
    public DefaultStatus DefaultStatus { get; set; }

    /// <summary>The late flag, set when a `late` limit is passed; cleared by requeue.</summary>
    public bool IsLate { get; internal set; }

    /// <summary>
    /// When the node was last begun or requeued (by an operator, or by a repeat or time series above it); relative
    /// times (`time +00:30`) and `today` count from it. Null before the first begin.
    /// </summary>
    public DateTimeOffset? RequeuedAt
    {
        get => _requeuedTicks == 0 ? null : new DateTimeOffset(_requeuedTicks, TimeSpan.FromMinutes(_requeuedOffsetMinutes));
        internal set
        {
            _requeuedTicks = value?.Ticks ?? 0;
            _requeuedOffsetMinutes = (short)(value?.TotalOffsetMinutes ?? 0);
        }
    }

    /// <summary>The scheduler's entry for this node (Scheduling), so that a change finds it without a lookup.</summary>
    internal object? SchedulingSlot { get; set; }

    /// <summary>With <see cref="SchedulingSlot"/>: the node's place in that scheduler's index.</summary>
    internal int SchedulingIndex { get; set; }

    /// <summary>The child nodes, in order; empty for a task.</summary>
    public virtual IReadOnlyList<Node> Children => [];

    public AttributeList<Parameter> Parameters => _parameters;

    public AttributeList<Event> Events => _events;

    public AttributeList<Meter> Meters => _meters;

    public AttributeList<Label> Labels => _labels;

    public IReadOnlyList<Limit> Limits => (IReadOnlyList<Limit>?)_rare?.Limits ?? [];

    public IReadOnlyList<InLimit> InLimits => (IReadOnlyList<InLimit>?)_rare?.InLimits ?? [];

    /// <summary>`time` and `today` attributes, in the order defined.</summary>
    public IReadOnlyList<TimeAttribute> Times => (IReadOnlyList<TimeAttribute>?)_rare?.Times ?? [];

    public IReadOnlyList<DateAttribute> Dates => (IReadOnlyList<DateAttribute>?)_rare?.Dates ?? [];

    public IReadOnlyList<DayAttribute> Days => (IReadOnlyList<DayAttribute>?)_rare?.Days ?? [];

    public IReadOnlyList<CronAttribute> Crons => (IReadOnlyList<CronAttribute>?)_rare?.Crons ?? [];

    /// <summary>ecFlow attributes kept verbatim (autocancel, zombie, verify, queue, generic, aviso, mirror, ...).</summary>
    public IReadOnlyList<KeptAttribute> KeptAttributes => (IReadOnlyList<KeptAttribute>?)_rare?.Kept ?? [];

    /// <summary>The trigger: the node runs only when it holds.</summary>
    public ExpressionAttribute? Trigger { get; private set; }

    /// <summary>The complete expression: when it holds, the node completes without running.</summary>
    public ExpressionAttribute? Complete
    {
        get => _rare?.Complete;
        private set => SetRare(value, static (r, v) => r.Complete = v);
    }

    /// <summary>The repeat, at most one per node.</summary>
    public Repeat? Repeat
    {
        get => _rare?.Repeat;
        private set => SetRare(value, static (r, v) => r.Repeat = v);
    }

    /// <summary>The late limits.</summary>
    public LateAttribute? Late
    {
        get => _rare?.Late;
        set => SetRare(value, static (r, v) => r.Late = v);
    }

    /// <summary>The side object of rare attributes, made now if there is none.</summary>
    private RareAttributes Rare => _rare ??= new RareAttributes();

    /// <summary>Whether this node has any time, date, day or cron dependency.</summary>
    public bool HasTimeDependencies =>
        _rare?.Times is { Length: > 0 } || _rare?.Dates is { Length: > 0 } || _rare?.Days is { Length: > 0 } || _rare?.Crons is { Length: > 0 };

    /// <summary>Sets a user parameter; setting an existing name replaces its value in place.</summary>
    public Node AddParameter(string name, string value) => AddParameter(Parameter.Text(name, value));

    /// <summary>Sets an integer parameter.</summary>
    public Node AddParameter(string name, long value) => AddParameter(Parameter.Integer(name, value));

    /// <summary>Sets a boolean parameter.</summary>
    public Node AddParameter(string name, bool value) => AddParameter(Parameter.Boolean(name, value));

    /// <summary>Sets a user parameter; setting an existing name replaces its value in place.</summary>
    public Node AddParameter(Parameter parameter)
    {
        if (parameter.Name.Length == 0 || HasWhiteSpace(parameter.Name))
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"invalid parameter name '{parameter.Name}' on {Path}");
        }

        var index = -1;
        for (var i = 0; i < _parameters.Count; i++)
        {
            if (_parameters[i].Name == parameter.Name)
            {
                index = i;
                break;
            }
        }

        _parameters = index >= 0 ? _parameters.Replacing(index, parameter) : _parameters.Append(parameter);

        return this;
    }

    /// <summary>Removes a user parameter; false when there was none.</summary>
    public bool RemoveParameter(string name)
    {
        _parameters = _parameters.Without(p => p.Name == name, out var removed);
        return removed > 0;
    }

    /// <summary>The user parameter of this node (not inherited), or null.</summary>
    public Parameter? FindOwnParameter(string name)
    {
        foreach (var p in _parameters)
        {
            if (p.Name == name)
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>Adds an event; a second event with the same name or number is rejected.</summary>
    public Node AddEvent(Event value)
    {
        foreach (var e in _events)
        {
            if ((value.Name.Length > 0 && e.Name == value.Name) || (value.Number is not null && e.Number == value.Number))
            {
                throw Duplicate("event", value.Key);
            }
        }

        _events = _events.Append(value);
        return this;
    }

    /// <summary>Adds an event by name.</summary>
    public Node AddEvent(string name, bool initialValue = false) => AddEvent(new Event(name, initialValue));

    /// <summary>Adds a meter.</summary>
    public Node AddMeter(Meter value)
    {
        if (FindMeter(value.Name) is not null)
        {
            throw Duplicate("meter", value.Name);
        }

        _meters = _meters.Append(value);
        return this;
    }

    /// <summary>Adds a meter.</summary>
    public Node AddMeter(string name, int min, int max, int? threshold = null) => AddMeter(new Meter(name, min, max, threshold));

    /// <summary>Adds a label.</summary>
    public Node AddLabel(Label value)
    {
        if (FindLabel(value.Name) is not null)
        {
            throw Duplicate("label", value.Name);
        }

        _labels = _labels.Append(value);
        return this;
    }

    /// <summary>Adds a label.</summary>
    public Node AddLabel(string name, string defaultText = "") => AddLabel(new Label(name, defaultText));

    /// <summary>Adds a limit.</summary>
    public Node AddLimit(Limit value)
    {
        if (FindLimit(value.Name) is not null)
        {
            throw Duplicate("limit", value.Name);
        }

        AttributeArrays.Append(ref Rare.Limits, value);
        return this;
    }

    /// <summary>Adds a limit.</summary>
    public Node AddLimit(string name, int max) => AddLimit(new Limit(name, max));

    /// <summary>Adds an in-limit.</summary>
    public Node AddInLimit(InLimit value)
    {
        var inLimits = _rare?.InLimits ?? [];
        for (var i = 0; i < inLimits.Length; i++)
        {
            var l = inLimits[i];
            if (l.Name == value.Name && l.Path == value.Path)
            {
                throw Duplicate("inlimit", value.Path is null ? value.Name : $"{value.Path}:{value.Name}");
            }
        }

        AttributeArrays.Append(ref Rare.InLimits, value);
        return this;
    }

    /// <summary>Adds an in-limit.</summary>
    public Node AddInLimit(string name, string? path = null, int tokens = 1) => AddInLimit(new InLimit(name, path, tokens));

    /// <summary>Sets the trigger, or joins another part to it with <paramref name="join"/> (ecFlow's `trigger -a`/`-o`).</summary>
    public Node AddTrigger(string expression, ExpressionJoin join = ExpressionJoin.And)
    {
        if (Trigger is null)
        {
            Trigger = new ExpressionAttribute(expression);
        }
        else
        {
            Trigger.Add(join, expression);
        }

        return this;
    }

    /// <summary>Sets the complete expression, or joins another part to it.</summary>
    public Node AddComplete(string expression, ExpressionJoin join = ExpressionJoin.And)
    {
        if (Complete is null)
        {
            Complete = new ExpressionAttribute(expression);
        }
        else
        {
            Complete.Add(join, expression);
        }

        return this;
    }

    /// <summary>Removes the trigger.</summary>
    public void RemoveTrigger() => Trigger = null;

    /// <summary>Removes the complete expression.</summary>
    public void RemoveComplete() => Complete = null;

    /// <summary>Sets the repeat; a node has at most one.</summary>
    public Node AddRepeat(Repeat repeat)
    {
        if (Repeat is not null)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"{Path} already has a repeat ({Repeat.Name})");
        }

        Repeat = repeat;
        return this;
    }

    /// <summary>Removes the repeat.</summary>
    public void RemoveRepeat() => Repeat = null;

    /// <summary>Adds a `time` or `today` attribute.</summary>
    public Node AddTime(TimeAttribute value)
    {
        AttributeArrays.Append(ref Rare.Times, value);
        return this;
    }

    /// <summary>Adds `time hh:mm` (or any form <see cref="TimeSeries.Parse"/> accepts).</summary>
    public Node AddTime(string text) => AddTime(new TimeAttribute(TimeSeries.Parse(text.Split(' ', StringSplitOptions.RemoveEmptyEntries))));

    /// <summary>Adds a `date` attribute.</summary>
    public Node AddDate(DateAttribute value)
    {
        AttributeArrays.Append(ref Rare.Dates, value);
        return this;
    }

    /// <summary>Adds a `day` attribute.</summary>
    public Node AddDay(DayAttribute value)
    {
        AttributeArrays.Append(ref Rare.Days, value);
        return this;
    }

    /// <summary>Adds a `cron` attribute.</summary>
    public Node AddCron(CronAttribute value)
    {
        AttributeArrays.Append(ref Rare.Crons, value);
        return this;
    }

    /// <summary>Keeps an attribute that has no behaviour yet, to write it back unchanged.</summary>
    public Node AddKeptAttribute(KeptAttribute value)
    {
        AttributeArrays.Append(ref Rare.Kept, value);
        return this;
    }

    /// <summary>Removes attributes of a kind by a predicate; returns how many went.</summary>
    internal int RemoveAttributes<T>(Predicate<T> match)
    {
        return typeof(T) switch
        {
            var t when t == typeof(Event) => Remove(ref _events, e => match((T)(object)e)),
            var t when t == typeof(Meter) => Remove(ref _meters, e => match((T)(object)e)),
            var t when t == typeof(Label) => Remove(ref _labels, e => match((T)(object)e)),
            var t when t == typeof(Limit) => _rare is null ? 0 : AttributeArrays.RemoveAll(ref _rare.Limits, e => match((T)(object)e)),
            var t when t == typeof(InLimit) => _rare is null ? 0 : AttributeArrays.RemoveAll(ref _rare.InLimits, e => match((T)(object)e)),
            var t when t == typeof(TimeAttribute) => _rare is null ? 0 : AttributeArrays.RemoveAll(ref _rare.Times, e => match((T)(object)e)),
            var t when t == typeof(DateAttribute) => _rare is null ? 0 : AttributeArrays.RemoveAll(ref _rare.Dates, e => match((T)(object)e)),
            var t when t == typeof(DayAttribute) => _rare is null ? 0 : AttributeArrays.RemoveAll(ref _rare.Days, e => match((T)(object)e)),
            var t when t == typeof(CronAttribute) => _rare is null ? 0 : AttributeArrays.RemoveAll(ref _rare.Crons, e => match((T)(object)e)),
            var t when t == typeof(KeptAttribute) => _rare is null ? 0 : AttributeArrays.RemoveAll(ref _rare.Kept, e => match((T)(object)e)),
            _ => 0,
        };

        static int Remove<TAttribute>(ref AttributeList<TAttribute> list, Predicate<TAttribute> match)
            where TAttribute : class
        {
            list = list.Without(match, out var removed);
            return removed;
        }
    }

    /// <summary>The event named (or numbered) <paramref name="key"/>, or null.</summary>
    public Event? FindEvent(string key)
    {
        foreach (var e in _events)
        {
            if (e.Matches(key))
            {
                return e;
            }
        }

        return null;
    }

    public Meter? FindMeter(string name) => FindNamed<AttributeList<Meter>, Meter>(_meters, name, static m => m.Name);

    public Label? FindLabel(string name) => FindNamed<AttributeList<Label>, Label>(_labels, name, static l => l.Name);

    public Limit? FindLimit(string name) => _rare?.Limits is { } limits ? FindNamed<Limit[], Limit>(limits, name, static l => l.Name) : null;

    /// <summary>
    /// Looks a parameter up as a job sees it: on this node (user, then repeat, then generated), then on each
    /// ancestor in the same order, then on the server. Null when nowhere.
    /// </summary>
    public string? FindParameterValue(string name)
    {
        for (Node? node = this; node is not null; node = node.Parent)
        {
            if (node.TryGetOwnValue(name, out var value))
            {
                return value;
            }
        }

        return Bunch?.FindServerParameterValue(name);
    }

    /// <summary>Like <see cref="FindParameterValue"/>, but says which node (or null for the server) supplied it.</summary>
    public bool TryFindParameter(string name, out string value, out Node? owner)
    {
        for (Node? node = this; node is not null; node = node.Parent)
        {
            if (node.TryGetOwnValue(name, out var found))
            {
                value = found;
                owner = node;
                return true;
            }
        }

        owner = null;
        var server = Bunch?.FindServerParameterValue(name);
        value = server ?? string.Empty;
        return server is not null;
    }

    /// <summary>The value this node itself gives <paramref name="name"/>: user parameter, repeat, then generated.</summary>
    public bool TryGetOwnValue(string name, out string value)
    {
        if (FindOwnParameter(name) is { } p)
        {
            value = p.Value;
            return true;
        }

        if (Repeat is { } repeat)
        {
            foreach (var (key, v) in repeat.GeneratedParameters())
            {
                if (key == name)
                {
                    value = v;
                    return true;
                }
            }
        }

        foreach (var (key, v) in GeneratedParameters())
        {
            if (key == name)
            {
                value = v;
                return true;
            }
        }

        value = string.Empty;
        return false;
    }

    /// <summary>The parameters this level generates (FLOW/DATE/TIME, FAMILY, TASK/TAKLER_NAME/..., in that order).</summary>
    public abstract IEnumerable<KeyValuePair<string, string>> GeneratedParameters();

    /// <summary>Resolves a path from this node: absolute, `./x`, `../x`, `../../a/b`, or a bare sibling name.</summary>
    public Node? Resolve(string path) => NodePaths.Resolve(this, path);

    /// <summary>This node and every node below it, in pre-order.</summary>
    public IEnumerable<Node> SelfAndDescendants()
    {
        var stack = new Stack<Node>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            var children = node.Children;
            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }
    }

    /// <summary>The ancestors, nearest first.</summary>
    public IEnumerable<NodeContainer> Ancestors()
    {
        for (var node = Parent; node is not null; node = node.Parent)
        {
            yield return node;
        }
    }

    /// <summary>True when this node or an ancestor is suspended; <paramref name="by"/> is the suspended one.</summary>
    public bool IsSuspendedInTree(out Node? by)
    {
        for (Node? node = this; node is not null; node = node.Parent)
        {
            if (node.Suspended)
            {
                by = node;
                return true;
            }
        }

        by = null;
        return false;
    }

    public override string ToString() => $"{Path} [{Status.Name()}]";

    internal void AttachTo(NodeContainer parent)
    {
        Parent = parent;
        InvalidatePath();
    }

    internal void Detach()
    {
        Parent = null;
        InvalidatePath();
    }

    private void InvalidatePath()
    {
        // A leaf (every node as a definition is read) needs no walk of its subtree.
        if (Children.Count == 0)
        {
            _path = null;
            return;
        }

        foreach (var node in SelfAndDescendants())
        {
            node._path = null;
        }
    }

    /// <summary>Sets the status and recomputes the ancestors' statuses. Tells the bunch's observer.</summary>
    internal void SetStatus(NodeStatus status, bool propagate = true)
    {
        var old = Status;
        if (old == status)
        {
            return;
        }

        Status = status;
        OnStatusChanged(old, status);
        Bunch?.Observer?.StatusChanged(this, old);
        if (propagate)
        {
            Parent?.RecomputeStatus();
        }
    }

    /// <summary>Tells the observer that an attribute value of this node changed.</summary>
    internal void NotifyAttributeChanged() => Bunch?.Observer?.AttributeChanged(this);

    /// <summary>Writes the status without side effects (restore from a snapshot).</summary>
    internal void RestoreStatus(NodeStatus status) => Status = status;

    /// <summary>Hook for subclasses: limit tokens, timestamps.</summary>
    private protected virtual void OnStatusChanged(NodeStatus old, NodeStatus status)
    {
    }

    /// <summary>Requeue of this node's own attributes (not the children): events, meters, labels, latches.</summary>
    internal virtual void ResetAttributes(bool resetRepeat)
    {
        foreach (var e in _events)
        {
            e.Reset();
        }

        foreach (var m in _meters)
        {
            m.Reset();
        }

        foreach (var l in _labels)
        {
            l.Reset();
        }

        _rare?.Reset(resetRepeat);
        if (Trigger is not null)
        {
            Trigger.Free = false;
        }

        IsLate = false;
    }

    // Plain loops rather than LINQ or List.Find: these run once per attribute when 100,000-node definitions are read.
    private static T? FindNamed<TList, T>(TList items, string name, Func<T, string> nameOf)
        where TList : IReadOnlyList<T>
        where T : class
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (nameOf(items[i]) == name)
            {
                return items[i];
            }
        }

        return null;
    }

    private static bool HasWhiteSpace(string text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }

    private TaklerException Duplicate(string what, string name) =>
        new(TaklerErrorCode.UnsupportedValue, $"{Path} already has a {what} named {name}");

    /// <summary>Sets a rare attribute; clearing one on a node without any makes no side object.</summary>
    private void SetRare<T>(T? value, Action<RareAttributes, T?> set)
        where T : class
    {
        if (value is not null || _rare is not null)
        {
            set(Rare, value);
        }
    }

    /// <summary>Formats an integer for generated parameters.</summary>
    private protected static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The attributes few nodes have, kept apart so that a node without any of them is small.</summary>
    private sealed class RareAttributes
    {
        public Limit[]? Limits;
        public InLimit[]? InLimits;
        public TimeAttribute[]? Times;
        public DateAttribute[]? Dates;
        public DayAttribute[]? Days;
        public CronAttribute[]? Crons;
        public KeptAttribute[]? Kept;
        public ExpressionAttribute? Complete;
        public Repeat? Repeat;
        public LateAttribute? Late;

        /// <summary>Requeue of these attributes: time latches and the complete latch cleared, the repeat reset if asked.</summary>
        public void Reset(bool resetRepeat)
        {
            foreach (var t in Times ?? [])
            {
                t.Reset();
            }

            foreach (var d in Dates ?? [])
            {
                d.Free = false;
            }

            foreach (var d in Days ?? [])
            {
                d.Free = false;
            }

            foreach (var c in Crons ?? [])
            {
                c.Reset();
            }

            if (Complete is not null)
            {
                Complete.Free = false;
            }

            if (resetRepeat)
            {
                Repeat?.Reset();
            }
        }
    }
}
