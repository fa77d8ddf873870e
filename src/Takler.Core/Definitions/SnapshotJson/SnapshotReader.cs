using System.Globalization;
using System.Text.Json;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;
using N = Takler.Core.Definitions.SnapshotJson.SnapshotNames;

namespace Takler.Core.Definitions.SnapshotJson;

/// <summary>
/// Reads our lossless JSON (<see cref="SnapshotFormat"/>) back into a new tree, run-time state included. Restoring
/// runs no side effects: statuses are written as they were (no requeue, no recompute, no observer), limit holders
/// are set from the snapshot and the holding tasks re-linked to them. A document of another format or version, or
/// a malformed one, is an <see cref="TaklerErrorCode.InvalidRequest"/> error that says what and where.
/// <para>
/// A snapshot is read in one pass over its bytes (<see cref="SnapshotParser"/>), with no document model: a restart
/// reads a tree of a hundred thousand tasks twice (the live tree and the query replica). Nothing is applied to a bunch
/// before the whole document was read, so a damaged document leaves the bunch as it was. The
/// <see cref="JsonElement"/> helpers below serve the small journal records (<see cref="NodeStateRecord"/>).
/// </para>
/// </summary>
public static class SnapshotReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 1000 };

    private delegate SnapshotContent ParseStep(ref SnapshotParser parser);

    /// <summary>Reads the snapshot of a bunch.</summary>
    public static Bunch ReadBunch(ReadOnlyMemory<byte> utf8Json) => ToBunch(Parse(new SnapshotParser(utf8Json.Span), ReadBunchDocument));

    /// <summary>Reads the snapshot of a bunch from a stream, a window at a time (see <see cref="SnapshotParser(Stream, int)"/>).</summary>
    public static Bunch ReadBunch(Stream utf8Json) => ReadBunch(utf8Json, SnapshotParser.DefaultWindowSize);

    /// <summary><see cref="ReadBunch(Stream)"/> through a window of <paramref name="windowSize"/> bytes (for tests).</summary>
    internal static Bunch ReadBunch(Stream utf8Json, int windowSize) => ToBunch(Parse(new SnapshotParser(utf8Json, windowSize), ReadBunchDocument));

    private static Bunch ToBunch(SnapshotContent content)
    {
        const string Where = "bunch";
        var bunch = new Bunch(
            content.Host ?? throw Fail(Where, $"'{N.Host}' is missing"),
            content.Port ?? throw Fail(Where, $"'{N.Port}' is missing"),
            content.Home ?? throw Fail(Where, $"'{N.Home}' is missing"));
        foreach (var parameter in content.Parameters)
        {
            bunch.AddServerParameter(parameter);
        }

        foreach (var flow in content.Flows)
        {
            bunch.AddFlow(flow);
        }

        RelinkHolders(content, path => NodePaths.IsAbsolute(path) ? NodePaths.ResolveAbsolute(bunch, path) : null);
        return bunch;
    }

    /// <summary>Reads the snapshot of one flow (written by <see cref="SnapshotWriter.Write(Flow, System.Buffers.IBufferWriter{byte}, bool)"/>).</summary>
    public static Flow ReadFlow(ReadOnlyMemory<byte> utf8Json)
    {
        var content = Parse(new SnapshotParser(utf8Json.Span), static (ref SnapshotParser p) => p.ReadFlowDocument());
        var flow = content.Flows[0];
        RelinkHolders(content, path => flow.Resolve(path));
        return flow;
    }

    /// <summary>
    /// Reads the snapshot of a bunch into an existing one (a restart): its flows are added, each replacing a flow of
    /// the same name, and its server parameters are set where <paramref name="bunch"/> has none of that name; host,
    /// port and home stay. Limit holders are kept as recorded. Returns the flows read.
    /// </summary>
    public static IReadOnlyList<Flow> ReadInto(Bunch bunch, ReadOnlyMemory<byte> utf8Json) =>
        ApplyTo(bunch, Parse(new SnapshotParser(utf8Json.Span), ReadBunchDocumentWithoutServer));

    /// <summary>
    /// <see cref="ReadInto(Bunch, ReadOnlyMemory{byte})"/> from a stream, a window at a time: the whole document is
    /// never in memory (see <see cref="SnapshotParser(Stream, int)"/>). As there, nothing of the bunch changes when the
    /// snapshot cannot be read.
    /// </summary>
    public static IReadOnlyList<Flow> ReadInto(Bunch bunch, Stream utf8Json) =>
        ApplyTo(bunch, Parse(new SnapshotParser(utf8Json), ReadBunchDocumentWithoutServer));

    private static SnapshotContent ReadBunchDocument(ref SnapshotParser parser) => parser.ReadBunchDocument(withServer: true);

    private static SnapshotContent ReadBunchDocumentWithoutServer(ref SnapshotParser parser) => parser.ReadBunchDocument(withServer: false);

    private static IReadOnlyList<Flow> ApplyTo(Bunch bunch, SnapshotContent content)
    {
        foreach (var parameter in content.Parameters)
        {
            if (!bunch.ServerParameters.Any(x => x.Name == parameter.Name))
            {
                bunch.AddServerParameter(parameter);
            }
        }

        foreach (var flow in content.Flows)
        {
            bunch.AddFlow(flow, replace: true);
        }

        RelinkHolders(content, path => NodePaths.IsAbsolute(path) ? NodePaths.ResolveAbsolute(bunch, path) : null);
        return content.Flows;
    }

    /// <summary>
    /// Runs one read of a document. Malformed JSON is reported as such even when the read stopped earlier on
    /// something it found (a truncated document whose beginning is wrong too): the rest is checked then.
    /// </summary>
    private static SnapshotContent Parse(SnapshotParser parser, ParseStep step)
    {
        try
        {
            return step(ref parser);
        }
        catch (JsonException e)
        {
            throw NotJson(e);
        }
        catch (TaklerException)
        {
            if (parser.FindJsonErrorAfter() is { } jsonError)
            {
                throw NotJson(jsonError);
            }

            throw;
        }
    }

    private static TaklerException NotJson(JsonException e) =>
        new(TaklerErrorCode.InvalidRequest, $"snapshot is not valid json: {e.Message}", e);

    private static void RelinkHolders(SnapshotContent content, Func<string, Node?> resolve)
    {
        foreach (var path in content.HolderPaths)
        {
            if (resolve(path) is Task task)
            {
                task.RelinkHeldLimits();
            }
        }
    }

    /// <summary>Parses a journal record (small: a document model is fine there).</summary>
    internal static JsonDocument Parse(ReadOnlyMemory<byte> utf8Json)
    {
        try
        {
            return JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw NotJson(e);
        }
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

    /// <summary>The state keys of a node's journal record (<see cref="NodeStateRecord"/>), found in a single pass; Undefined when absent.</summary>
    internal sealed class NodeFields
    {
        public NodeFields(JsonElement d)
        {
            foreach (var p in d.EnumerateObject())
            {
                switch (p.Name)
                {
                    case N.Status: Status = p.Value; break;
                    case N.Suspended: Suspended = p.Value; break;
                    case N.IsLate: IsLate = p.Value; break;
                    case N.DefStatus: DefStatus = p.Value; break;
                    case N.RequeuedAt: RequeuedAt = p.Value; break;
                    case N.Events: Events = p.Value; break;
                    case N.Meters: Meters = p.Value; break;
                    case N.Labels: Labels = p.Value; break;
                    case N.Limits: Limits = p.Value; break;
                    case N.Repeat: Repeat = p.Value; break;
                    case N.Times: Times = p.Value; break;
                    case N.Dates: Dates = p.Value; break;
                    case N.Days: Days = p.Value; break;
                    case N.Crons: Crons = p.Value; break;
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
                }
            }
        }

        public JsonElement Status { get; }

        public JsonElement Suspended { get; }

        public JsonElement IsLate { get; }

        public JsonElement DefStatus { get; }

        public JsonElement RequeuedAt { get; }

        public JsonElement Events { get; }

        public JsonElement Meters { get; }

        public JsonElement Labels { get; }

        public JsonElement Limits { get; }

        public JsonElement Repeat { get; }

        public JsonElement Times { get; }

        public JsonElement Dates { get; }

        public JsonElement Days { get; }

        public JsonElement Crons { get; }

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
    }
}
