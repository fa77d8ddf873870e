using System.Globalization;
using System.Text.Json;
using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;
using N = Takler.Core.Definitions.SnapshotJson.SnapshotNames;

namespace Takler.Core.Definitions.SnapshotJson;

/// <summary>
/// Reads our lossless JSON (<see cref="SnapshotFormat"/>) back into a new tree, run-time state included. Restoring
/// runs no side effects: statuses are written as they were (no requeue, no recompute, no observer), limit holders
/// are set from the snapshot and the holding tasks re-linked to them. A document of another format or version, or
/// a malformed one, is an <see cref="TaklerErrorCode.InvalidRequest"/> error that says what and where.
/// </summary>
public static class SnapshotReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 1000 };

    /// <summary>Reads the snapshot of a bunch.</summary>
    public static Bunch ReadBunch(ReadOnlyMemory<byte> utf8Json)
    {
        using var document = Parse(utf8Json);
        return ReadBunch(Body(document.RootElement, N.Bunch));
    }

    /// <summary>Reads the snapshot of a bunch from a stream.</summary>
    public static Bunch ReadBunch(Stream utf8Json)
    {
        using var document = Parse(utf8Json);
        return ReadBunch(Body(document.RootElement, N.Bunch));
    }

    /// <summary>Reads the snapshot of one flow (written by <see cref="SnapshotWriter.Write(Flow, System.Buffers.IBufferWriter{byte}, bool)"/>).</summary>
    public static Flow ReadFlow(ReadOnlyMemory<byte> utf8Json)
    {
        using var document = Parse(utf8Json);
        var context = new Context();
        var flow = (Flow)context.ReadNode(Body(document.RootElement, N.Flow), null);
        context.RelinkHolders(path => flow.Resolve(path));
        return flow;
    }

    /// <summary>
    /// Reads the snapshot of a bunch into an existing one (a restart): its flows are added, each replacing a flow of
    /// the same name, and its server parameters are set where <paramref name="bunch"/> has none of that name; host,
    /// port and home stay. Limit holders are kept as recorded. Returns the flows read.
    /// </summary>
    public static IReadOnlyList<Flow> ReadInto(Bunch bunch, ReadOnlyMemory<byte> utf8Json)
    {
        const string Where = "bunch";
        using var document = Parse(utf8Json);
        var body = Body(document.RootElement, N.Bunch);
        var context = new Context();
        var flows = new List<Flow>();
        foreach (var item in Array(body, N.Flows, Where))
        {
            if (context.ReadNode(item, null) is not Flow flow)
            {
                throw Fail(Where, "every item of 'flows' must be a flow");
            }

            if (flows.Exists(f => f.Name == flow.Name))
            {
                throw Fail(Where, $"flow {flow.Name} appears twice");
            }

            flows.Add(flow);
        }

        foreach (var p in Array(body, N.Parameters, Where))
        {
            var parameter = ReadParameter(p, Where);
            if (!bunch.ServerParameters.Any(x => x.Name == parameter.Name))
            {
                bunch.AddServerParameter(parameter);
            }
        }

        foreach (var flow in flows)
        {
            bunch.AddFlow(flow, replace: true);
        }

        context.RelinkHolders(path => NodePaths.IsAbsolute(path) ? NodePaths.ResolveAbsolute(bunch, path) : null);
        return flows;
    }

    private static Bunch ReadBunch(JsonElement body)
    {
        const string Where = "bunch";
        var bunch = new Bunch(Str(body, N.Host, Where), Int(body, N.Port, Where), Str(body, N.Home, Where));
        foreach (var p in Array(body, N.Parameters, Where))
        {
            bunch.AddServerParameter(ReadParameter(p, Where));
        }

        var context = new Context();
        foreach (var item in Array(body, N.Flows, Where))
        {
            if (context.ReadNode(item, null) is not Flow flow)
            {
                throw Fail(Where, "every item of 'flows' must be a flow");
            }

            if (bunch.FindFlow(flow.Name) is not null)
            {
                throw Fail(Where, $"flow {flow.Name} appears twice");
            }

            bunch.AddFlow(flow);
        }

        context.RelinkHolders(path => NodePaths.IsAbsolute(path) ? NodePaths.ResolveAbsolute(bunch, path) : null);
        return bunch;
    }

    internal static JsonDocument Parse(ReadOnlyMemory<byte> utf8Json)
    {
        try
        {
            return JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, $"snapshot is not valid json: {e.Message}", e);
        }
    }

    internal static JsonDocument Parse(Stream utf8Json)
    {
        try
        {
            return JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, $"snapshot is not valid json: {e.Message}", e);
        }
    }

    /// <summary>Checks the header and returns the <paramref name="key"/> object.</summary>
    internal static JsonElement Body(JsonElement root, string key)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, $"not a {SnapshotFormat.Name}: the document is not an object");
        }

        if (!root.TryGetProperty(N.Format, out var format) || format.ValueKind != JsonValueKind.String)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, $"not a {SnapshotFormat.Name}: no 'format'");
        }

        if (format.GetString() != SnapshotFormat.Name)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, $"not a {SnapshotFormat.Name}: format is '{format.GetString()}'");
        }

        if (!root.TryGetProperty(N.Version, out var version) || !version.TryGetInt32(out var v))
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, $"{SnapshotFormat.Name}: no 'version'");
        }

        if (v != SnapshotFormat.Version)
        {
            throw new TaklerException(
                TaklerErrorCode.InvalidRequest,
                $"{SnapshotFormat.Name} version {v} is not supported; this build reads version {SnapshotFormat.Version}");
        }

        if (!root.TryGetProperty(key, out var body) || body.ValueKind != JsonValueKind.Object)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, $"{SnapshotFormat.Name}: no '{key}' object");
        }

        return body;
    }

    internal static Parameter ReadParameter(JsonElement p, string where)
    {
        var name = Str(p, N.Name, where);
        var value = Str(p, N.Value, where);
        var kind = OptStr(p, N.Kind, where) switch
        {
            null or "string" => ParameterKind.String,
            "integer" => ParameterKind.Integer,
            "float" => ParameterKind.Float,
            "boolean" => ParameterKind.Boolean,
            "null" => ParameterKind.Null,
            var other => throw Fail(where, $"unknown parameter kind '{other}'"),
        };
        return new Parameter(name, value, kind);
    }

    internal static TaklerException Fail(string where, string what) =>
        new(TaklerErrorCode.InvalidRequest, $"snapshot {where}: {what}");

    internal static JsonElement Required(JsonElement obj, string key, string where)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw Fail(where, "expected an object");
        }

        return obj.TryGetProperty(key, out var value) ? value : throw Fail(where, $"'{key}' is missing");
    }

    internal static bool TryGet(JsonElement obj, string key, out JsonElement value) =>
        obj.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null;

    internal static string Str(JsonElement obj, string key, string where) => AsString(Required(obj, key, where), key, where);

    internal static string? OptStr(JsonElement obj, string key, string where) =>
        TryGet(obj, key, out var v) ? AsString(v, key, where) : null;

    internal static string AsString(JsonElement v, string key, string where) =>
        v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Fail(where, $"'{key}' must be a string");

    internal static int Int(JsonElement obj, string key, string where) => AsInt(Required(obj, key, where), key, where);

    internal static int OptInt(JsonElement obj, string key, string where, int fallback = 0) =>
        TryGet(obj, key, out var v) ? AsInt(v, key, where) : fallback;

    internal static int AsInt(JsonElement v, string key, string where) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : throw Fail(where, $"'{key}' must be an integer");

    internal static long Long(JsonElement obj, string key, string where)
    {
        var v = Required(obj, key, where);
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw Fail(where, $"'{key}' must be an integer");
    }

    internal static bool Flag(JsonElement obj, string key, string where)
    {
        if (!TryGet(obj, key, out var v))
        {
            return false;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Fail(where, $"'{key}' must be true or false"),
        };
    }

    internal static TimeSpan? OptSpan(JsonElement obj, string key, string where)
    {
        var text = OptStr(obj, key, where);
        if (text is null)
        {
            return null;
        }

        return TimeSpan.TryParseExact(text, N.TimeSpanFormat, CultureInfo.InvariantCulture, out var span)
            ? span
            : throw Fail(where, $"'{key}' is not a duration: '{text}'");
    }

    internal static TimeSpan Span(JsonElement obj, string key, string where) =>
        OptSpan(obj, key, where) ?? throw Fail(where, $"'{key}' is missing");

    internal static DateTime? OptInstant(JsonElement obj, string key, string where)
    {
        var text = OptStr(obj, key, where);
        if (text is null)
        {
            return null;
        }

        return DateTime.TryParseExact(text, N.InstantFormat, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)
            ? value
            : throw Fail(where, $"'{key}' is not a date and time: '{text}'");
    }

    internal static JsonElement.ArrayEnumerator Array(JsonElement obj, string key, string where)
    {
        if (!TryGet(obj, key, out var v))
        {
            return default;
        }

        return v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : throw Fail(where, $"'{key}' must be an array");
    }

    internal static int[] Ints(JsonElement obj, string key, string where)
    {
        var result = new List<int>();
        foreach (var v in Array(obj, key, where))
        {
            result.Add(AsInt(v, key, where));
        }

        return [.. result];
    }

    internal static string[] Strings(JsonElement obj, string key, string where)
    {
        var result = new List<string>();
        foreach (var v in Array(obj, key, where))
        {
            result.Add(AsString(v, key, where));
        }

        return [.. result];
    }

    /// <summary>Whether a looked-up value is there (not absent, not null).</summary>
    internal static bool Present(JsonElement value) => value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);

    internal static bool AsFlag(JsonElement value, string key, string where) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.False => false,
        JsonValueKind.True => true,
        _ => throw Fail(where, $"'{key}' must be true or false"),
    };

    internal static JsonElement.ArrayEnumerator AsArray(JsonElement value, string key, string where)
    {
        if (!Present(value))
        {
            return default;
        }

        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw Fail(where, $"'{key}' must be an array");
    }

    internal static DateTimeOffset? AsOffset(JsonElement value, string key, string where)
    {
        if (!Present(value))
        {
            return null;
        }

        var text = AsString(value, key, where);
        return DateTimeOffset.TryParseExact(text, N.InstantFormat, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var result)
            ? result
            : throw Fail(where, $"'{key}' is not a date and time: '{text}'");
    }

    /// <summary>One restore: the tasks named as limit holders, re-linked once every flow exists.</summary>
    private sealed class Context
    {
        private readonly HashSet<string> _holderPaths = new(StringComparer.Ordinal);

        public Node ReadNode(JsonElement d, NodeContainer? parent)
        {
            var parentWhere = parent?.Path ?? string.Empty;
            if (d.ValueKind != JsonValueKind.Object)
            {
                throw Fail(parentWhere.Length == 0 ? "/" : parentWhere, "a node must be an object");
            }

            var f = new NodeFields(d);
            var name = f.Name.ValueKind == JsonValueKind.String ? f.Name.GetString()! : throw Fail(parentWhere + "/?", "'name' is missing or not a string");
            var where = parentWhere + "/" + name;
            var kind = f.Kind.ValueKind == JsonValueKind.String ? f.Kind.GetString() : throw Fail(where, "'kind' is missing or not a string");
            Node node = (kind, parent is null) switch
            {
                (N.KindFlow, true) => new Flow(name),
                (N.KindFamily, false) => new Family(name),
                (N.KindTask, false) => new Task(name),
                (N.KindShell, false) => new ShellScriptTask(name),
                (N.KindFlow or N.KindFamily or N.KindTask or N.KindShell, _) => throw Fail(where, $"a {kind} cannot be placed here"),
                _ => throw Fail(where, $"unknown node kind '{kind}'"),
            };

            var statusText = f.Status.ValueKind == JsonValueKind.String ? f.Status.GetString()! : throw Fail(where, "'status' is missing or not a string");
            node.RestoreStatus(NodeStatuses.TryParse(statusText, out var status) ? status : throw Fail(where, $"unknown status '{statusText}'"));
            node.Suspended = AsFlag(f.Suspended, N.Suspended, where);
            node.IsLate = AsFlag(f.IsLate, N.IsLate, where);
            if (Present(f.DefStatus))
            {
                var text = AsString(f.DefStatus, N.DefStatus, where);
                node.DefaultStatus = DefaultStatuses.TryParse(text, out var ds) ? ds : throw Fail(where, $"unknown defstatus '{text}'");
            }

            node.RequeuedAt = AsOffset(f.RequeuedAt, N.RequeuedAt, where);

            ReadAttributes(node, f, where);
            switch (node)
            {
                case Flow flow:
                    ReadFlowState(flow, f, where);
                    break;
                case Task task:
                    ReadTaskState(task, f, where);
                    break;
            }

            if (Present(f.Children))
            {
                if (node is not NodeContainer container)
                {
                    throw Fail(where, "only a flow or a family has 'children'");
                }

                foreach (var child in AsArray(f.Children, N.Children, where))
                {
                    container.AddChild(ReadNode(child, container));
                }
            }

            return node;
        }

        public void RelinkHolders(Func<string, Node?> resolve)
        {
            foreach (var path in _holderPaths)
            {
                if (resolve(path) is Task task)
                {
                    task.RelinkHeldLimits();
                }
            }
        }

        private void ReadAttributes(Node node, NodeFields f, string where)
        {
            foreach (var p in AsArray(f.Parameters, N.Parameters, where))
            {
                node.AddParameter(ReadParameter(p, where));
            }

            foreach (var e in AsArray(f.Events, N.Events, where))
            {
                var number = TryGet(e, N.Number, out var n) ? AsInt(n, N.Number, where) : (int?)null;
                var ev = new Event(OptStr(e, N.Name, where) ?? string.Empty, Flag(e, N.Initial, where), number)
                {
                    Value = Flag(e, N.Value, where),
                };
                node.AddEvent(ev);
            }

            foreach (var m in AsArray(f.Meters, N.Meters, where))
            {
                var threshold = TryGet(m, N.Threshold, out var t) ? AsInt(t, N.Threshold, where) : (int?)null;
                var meter = new Meter(Str(m, N.Name, where), Int(m, N.Min, where), Int(m, N.Max, where), threshold);
                meter.SetValue(Int(m, N.Value, where));
                node.AddMeter(meter);
            }

            foreach (var l in AsArray(f.Labels, N.Labels, where))
            {
                node.AddLabel(new Label(Str(l, N.Name, where), Str(l, N.Default, where)) { Text = Str(l, N.Text, where) });
            }

            foreach (var l in AsArray(f.Limits, N.Limits, where))
            {
                node.AddLimit(ReadLimit(l, where));
            }

            foreach (var il in AsArray(f.InLimits, N.InLimits, where))
            {
                node.AddInLimit(new InLimit(
                    Str(il, N.Name, where),
                    OptStr(il, N.Path, where),
                    OptInt(il, N.Tokens, where, 1),
                    Flag(il, N.Families, where),
                    Flag(il, N.SubmissionOnly, where)));
            }

            ReadExpression(f.Trigger, N.Trigger, where, node.AddTrigger, free => node.Trigger!.Free = free);
            ReadExpression(f.Complete, N.Complete, where, node.AddComplete, free => node.Complete!.Free = free);
            if (Present(f.Repeat))
            {
                node.AddRepeat(ReadRepeat(f.Repeat, where));
            }

            foreach (var t in AsArray(f.Times, N.Times, where))
            {
                var time = new TimeAttribute(ReadSeries(t, where), Flag(t, N.Today, where));
                (time.Free, time.NextSlot, time.LastFired, time.Since, time.MissedSlots) = ReadSlotState(t, where);
                node.AddTime(time);
            }

            foreach (var x in AsArray(f.Dates, N.Dates, where))
            {
                node.AddDate(new DateAttribute(Int(x, N.Day, where), Int(x, N.Month, where), Int(x, N.Year, where)) { Free = Flag(x, N.Free, where) });
            }

            foreach (var x in AsArray(f.Days, N.Days, where))
            {
                node.AddDay(new DayAttribute(DayAttribute.ParseDay(Str(x, N.Day, where))) { Free = Flag(x, N.Free, where) });
            }

            foreach (var c in AsArray(f.Crons, N.Crons, where))
            {
                var cron = new CronAttribute(
                    ReadSeries(c, where),
                    Ints(c, N.WeekDays, where),
                    Ints(c, N.DaysOfMonth, where),
                    Flag(c, N.LastDayOfMonth, where),
                    Ints(c, N.Months, where),
                    Ints(c, N.LastWeekDays, where));
                (cron.Free, cron.NextSlot, cron.LastFired, cron.Since, cron.MissedSlots) = ReadSlotState(c, where);
                node.AddCron(cron);
            }

            if (Present(f.Late))
            {
                node.Late = new LateAttribute(
                    OptSpan(f.Late, N.Submitted, where),
                    OptSpan(f.Late, N.Active, where),
                    OptSpan(f.Late, N.Complete, where),
                    Flag(f.Late, N.CompleteRelative, where));
            }

            foreach (var k in AsArray(f.Kept, N.Kept, where))
            {
                node.AddKeptAttribute(new KeptAttribute(Str(k, N.Keyword, where), Str(k, N.Arguments, where)));
            }
        }

        private Limit ReadLimit(JsonElement l, string where)
        {
            var limit = new Limit(Str(l, N.Name, where), Int(l, N.Max, where));
            var holders = new List<KeyValuePair<string, int>>();
            if (TryGet(l, N.Holders, out var h))
            {
                if (h.ValueKind != JsonValueKind.Object)
                {
                    throw Fail(where, $"'{N.Holders}' must be an object");
                }

                foreach (var p in h.EnumerateObject())
                {
                    holders.Add(new(p.Name, AsInt(p.Value, N.Holders, where)));
                    _holderPaths.Add(p.Name);
                }
            }

            limit.RestoreUsage(holders, Int(l, N.Value, where));
            return limit;
        }

        private static void ReadExpression(JsonElement e, string key, string where, Func<string, ExpressionJoin, Node> add, Action<bool> setFree)
        {
            if (!Present(e))
            {
                return;
            }

            var any = false;
            foreach (var part in Array(e, N.Parts, where))
            {
                var join = OptStr(part, N.Join, where) switch
                {
                    null => ExpressionJoin.None,
                    "and" => ExpressionJoin.And,
                    "or" => ExpressionJoin.Or,
                    var other => throw Fail(where, $"unknown {key} join '{other}'"),
                };
                add(Str(part, N.Text, where), join);
                any = true;
            }

            if (!any)
            {
                throw Fail(where, $"'{key}' has no parts");
            }

            setFree(Flag(e, N.Free, where));
        }

        private static Repeat ReadRepeat(JsonElement r, string where)
        {
            var kind = Str(r, N.Kind, where);
            Repeat repeat = kind switch
            {
                "date" => new RepeatDate(Str(r, N.Name, where), Long(r, N.Start, where), Long(r, N.End, where), Int(r, N.Step, where)),
                "integer" => new RepeatInteger(Str(r, N.Name, where), Long(r, N.Start, where), Long(r, N.End, where), Long(r, N.Step, where)),
                "datetime" => new RepeatDateTime(
                    Str(r, N.Name, where),
                    OptInstant(r, N.Start, where) ?? throw Fail(where, "'start' is missing"),
                    OptInstant(r, N.End, where) ?? throw Fail(where, "'end' is missing"),
                    Span(r, N.Step, where)),
                "datelist" => new RepeatDateList(Str(r, N.Name, where), Longs(r, where)),
                "string" => new RepeatString(Str(r, N.Name, where), Strings(r, N.Values, where)),
                "enumerated" => new RepeatEnumerated(Str(r, N.Name, where), Strings(r, N.Values, where)),
                "day" => new RepeatDay(Int(r, N.Step, where)),
                _ => throw Fail(where, $"unknown repeat kind '{kind}'"),
            };
            repeat.SetPosition(Int(r, N.Position, where), Flag(r, N.Exhausted, where));
            return repeat;
        }

        private static long[] Longs(JsonElement r, string where)
        {
            var result = new List<long>();
            foreach (var v in Array(r, N.Values, where))
            {
                result.Add(v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw Fail(where, "'values' must hold integers"));
            }

            return [.. result];
        }

        private static TimeSeries ReadSeries(JsonElement t, string where) =>
            new(Span(t, N.Start, where), OptSpan(t, N.End, where), OptSpan(t, N.Increment, where), Flag(t, N.Relative, where));

        private static void ReadFlowState(Flow flow, NodeFields f, string where)
        {
            flow.Clock = ReadClock(f.Clock, where);
            flow.EndClock = ReadClock(f.EndClock, where);
            ReadBegunAndCalendar(flow, f, where);
        }

        private static ClockAttribute? ReadClock(JsonElement c, string where)
        {
            if (!Present(c))
            {
                return null;
            }

            DateOnly? startDate = OptStr(c, N.StartDate, where) is { } text
                ? DateOnly.TryParseExact(text, N.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? date
                    : throw Fail(where, $"'{N.StartDate}' is not a date: '{text}'")
                : null;
            return new ClockAttribute(Flag(c, N.Hybrid, where), startDate, OptSpan(c, N.Gain, where) ?? TimeSpan.Zero, Flag(c, N.GainGiven, where));
        }
    }

    /// <summary>A time or cron attribute's latch state.</summary>
    internal static (bool Free, int NextSlot, DateTime? LastFired, DateTime? Since, int MissedSlots) ReadSlotState(JsonElement t, string where) =>
        (Flag(t, N.Free, where), OptInt(t, N.NextSlot, where), OptInstant(t, N.LastFired, where), OptInstant(t, N.Since, where), OptInt(t, N.MissedSlots, where));

    /// <summary>A flow's run-time state: begun and the calendar (absent keys clear them).</summary>
    internal static void ReadBegunAndCalendar(Flow flow, NodeFields f, string where)
    {
        flow.Begun = AsFlag(f.Begun, N.Begun, where);
        var calendar = flow.Calendar;
        calendar.Clear();
        if (Present(f.Calendar))
        {
            var c = f.Calendar;
            calendar.InitialTime = OptInstant(c, N.InitialTime, where);
            calendar.FlowTime = OptInstant(c, N.FlowTime, where);
            calendar.Duration = OptSpan(c, N.Duration, where);
            calendar.Increment = OptSpan(c, N.Increment, where);
            calendar.InitialRealTime = OptInstant(c, N.InitialRealTime, where);
            calendar.LastRealTime = OptInstant(c, N.LastRealTime, where);
        }
    }

    /// <summary>A task's run-time identity (absent keys clear it); the script path only when given.</summary>
    internal static void ReadTaskState(Task task, NodeFields f, string where)
    {
        if (task is ShellScriptTask shell && Present(f.Script))
        {
            shell.ScriptPath = AsString(f.Script, N.Script, where);
        }

        task.RestoreRuntime(
            Present(f.TaskId) ? AsString(f.TaskId, N.TaskId, where) : null,
            Present(f.AbortedReason) ? AsString(f.AbortedReason, N.AbortedReason, where) : null,
            Present(f.TryNo) ? AsInt(f.TryNo, N.TryNo, where) : 0,
            Present(f.Password) ? AsString(f.Password, N.Password, where) : null);
        task.SubmittedAt = AsOffset(f.SubmittedAt, N.SubmittedAt, where);
        task.ActiveAt = AsOffset(f.ActiveAt, N.ActiveAt, where);
        task.FinishedAt = AsOffset(f.FinishedAt, N.FinishedAt, where);
        task.AbortedByOperator = AsFlag(f.AbortedByOperator, N.AbortedByOperator, where);
    }

    /// <summary>The keys of one node object, found in a single pass; Undefined when absent.</summary>
    internal sealed class NodeFields
    {
        public NodeFields(JsonElement d)
        {
            foreach (var p in d.EnumerateObject())
            {
                switch (p.Name)
                {
                    case N.Kind: Kind = p.Value; break;
                    case N.Name: Name = p.Value; break;
                    case N.Status: Status = p.Value; break;
                    case N.Suspended: Suspended = p.Value; break;
                    case N.IsLate: IsLate = p.Value; break;
                    case N.DefStatus: DefStatus = p.Value; break;
                    case N.RequeuedAt: RequeuedAt = p.Value; break;
                    case N.Parameters: Parameters = p.Value; break;
                    case N.Events: Events = p.Value; break;
                    case N.Meters: Meters = p.Value; break;
                    case N.Labels: Labels = p.Value; break;
                    case N.Limits: Limits = p.Value; break;
                    case N.InLimits: InLimits = p.Value; break;
                    case N.Trigger: Trigger = p.Value; break;
                    case N.Complete: Complete = p.Value; break;
                    case N.Repeat: Repeat = p.Value; break;
                    case N.Times: Times = p.Value; break;
                    case N.Dates: Dates = p.Value; break;
                    case N.Days: Days = p.Value; break;
                    case N.Crons: Crons = p.Value; break;
                    case N.Late: Late = p.Value; break;
                    case N.Kept: Kept = p.Value; break;
                    case N.Clock: Clock = p.Value; break;
                    case N.EndClock: EndClock = p.Value; break;
                    case N.Begun: Begun = p.Value; break;
                    case N.Calendar: Calendar = p.Value; break;
                    case N.Script: Script = p.Value; break;
                    case N.TaskId: TaskId = p.Value; break;
                    case N.AbortedReason: AbortedReason = p.Value; break;
                    case N.TryNo: TryNo = p.Value; break;
                    case N.Password: Password = p.Value; break;
                    case N.SubmittedAt: SubmittedAt = p.Value; break;
                    case N.ActiveAt: ActiveAt = p.Value; break;
                    case N.FinishedAt: FinishedAt = p.Value; break;
                    case N.AbortedByOperator: AbortedByOperator = p.Value; break;
                    case N.Children: Children = p.Value; break;
                }
            }
        }

        public JsonElement Kind { get; }

        public JsonElement Name { get; }

        public JsonElement Status { get; }

        public JsonElement Suspended { get; }

        public JsonElement IsLate { get; }

        public JsonElement DefStatus { get; }

        public JsonElement RequeuedAt { get; }

        public JsonElement Parameters { get; }

        public JsonElement Events { get; }

        public JsonElement Meters { get; }

        public JsonElement Labels { get; }

        public JsonElement Limits { get; }

        public JsonElement InLimits { get; }

        public JsonElement Trigger { get; }

        public JsonElement Complete { get; }

        public JsonElement Repeat { get; }

        public JsonElement Times { get; }

        public JsonElement Dates { get; }

        public JsonElement Days { get; }

        public JsonElement Crons { get; }

        public JsonElement Late { get; }

        public JsonElement Kept { get; }

        public JsonElement Clock { get; }

        public JsonElement EndClock { get; }

        public JsonElement Begun { get; }

        public JsonElement Calendar { get; }

        public JsonElement Script { get; }

        public JsonElement TaskId { get; }

        public JsonElement AbortedReason { get; }

        public JsonElement TryNo { get; }

        public JsonElement Password { get; }

        public JsonElement SubmittedAt { get; }

        public JsonElement ActiveAt { get; }

        public JsonElement FinishedAt { get; }

        public JsonElement AbortedByOperator { get; }

        public JsonElement Children { get; }
    }
}
