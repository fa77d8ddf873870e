using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;
using N = Takler.Core.Definitions.SnapshotJson.SnapshotNames;

namespace Takler.Core.Definitions.SnapshotJson;

/// <summary>
/// Writes our lossless JSON (<see cref="SnapshotFormat"/>): the definition and the run-time state of a bunch or a flow,
/// every attribute included, so that <see cref="SnapshotReader"/> gives back an equal tree. Keys whose value is the
/// default (false, empty, null, 0 where stated) are left out.
/// </summary>
public static class SnapshotWriter
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    /// <summary>
    /// The snapshot of a bunch as UTF-8 bytes. <paramref name="sizeHint"/>, the expected size (e.g. the previous
    /// snapshot's), spares a large tree's buffer its growth: tens of megabytes copied and cleared again and again.
    /// </summary>
    public static byte[] ToBytes(Bunch bunch, bool indented = false, int sizeHint = 0)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(64 * 1024, sizeHint));
        Write(bunch, buffer, indented);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The snapshot of one flow as UTF-8 bytes.</summary>
    public static byte[] ToBytes(Flow flow, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        Write(flow, buffer, indented);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the snapshot of a bunch.</summary>
    public static void Write(Bunch bunch, IBufferWriter<byte> output, bool indented = false)
    {
        using var w = new Utf8JsonWriter(output, indented ? Indented : Compact);
        WriteBunchDocument(bunch, w);
    }

    /// <summary>Writes the snapshot of a bunch to a stream (left open).</summary>
    public static void Write(Bunch bunch, Stream output, bool indented = false)
    {
        using var w = new Utf8JsonWriter(output, indented ? Indented : Compact);
        WriteBunchDocument(bunch, w);
    }

    /// <summary>Writes the snapshot of one flow.</summary>
    public static void Write(Flow flow, IBufferWriter<byte> output, bool indented = false)
    {
        using var w = new Utf8JsonWriter(output, indented ? Indented : Compact);
        WriteHeader(w);
        w.WritePropertyName(N.Flow);
        WriteNode(flow, w);
        w.WriteEndObject();
    }

    private static void WriteBunchDocument(Bunch bunch, Utf8JsonWriter w)
    {
        WriteHeader(w);
        w.WriteStartObject(N.Bunch);
        w.WriteString(N.Host, bunch.Host);
        w.WriteNumber(N.Port, bunch.Port);
        w.WriteString(N.Home, bunch.Home);
        WriteParameters(w, bunch.ServerParameters);
        w.WriteStartArray(N.Flows);
        foreach (var flow in bunch.Flows)
        {
            WriteNode(flow, w);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteHeader(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString(N.Format, SnapshotFormat.Name);
        w.WriteNumber(N.Version, SnapshotFormat.Version);
    }

    private static void WriteNode(Node node, Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString(N.Kind, node switch
        {
            Flow => N.KindFlow,
            ShellScriptTask => N.KindShell,
            Task => N.KindTask,
            _ => N.KindFamily,
        });
        w.WriteString(N.Name, node.Name);
        w.WriteString(N.Status, node.Status.Name());
        WriteTrue(w, N.Suspended, node.Suspended);
        WriteTrue(w, N.IsLate, node.IsLate);
        if (node.DefaultStatus != DefaultStatus.Queued)
        {
            w.WriteString(N.DefStatus, node.DefaultStatus.Name());
        }

        WriteInstant(w, N.RequeuedAt, node.RequeuedAt);
        WriteParameters(w, node.Parameters);
        WriteEvents(w, node.Events);
        WriteMeters(w, node.Meters);
        WriteLabels(w, node.Labels);
        WriteLimits(w, node.Limits);
        WriteInLimits(w, node.InLimits);
        WriteExpression(w, N.Trigger, node.Trigger);
        WriteExpression(w, N.Complete, node.Complete);
        if (node.Repeat is { } repeat)
        {
            WriteRepeat(w, repeat);
        }

        WriteTimes(w, node.Times);
        WriteDates(w, node.Dates);
        WriteDays(w, node.Days);
        WriteCrons(w, node.Crons);
        if (node.Late is { } late)
        {
            WriteLate(w, late);
        }

        WriteKept(w, node.KeptAttributes);
        switch (node)
        {
            case Flow flow:
                WriteFlowState(w, flow);
                break;
            case Task task:
                WriteTaskState(w, task);
                break;
        }

        if (node.Children.Count > 0)
        {
            w.WriteStartArray(N.Children);
            foreach (var child in node.Children)
            {
                WriteNode(child, w);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteFlowState(Utf8JsonWriter w, Flow flow)
    {
        WriteClock(w, N.Clock, flow.Clock);
        WriteClock(w, N.EndClock, flow.EndClock);
        WriteBegunAndCalendar(w, flow);
    }

    /// <summary>The run-time state of a flow: begun and the calendar.</summary>
    internal static void WriteBegunAndCalendar(Utf8JsonWriter w, Flow flow)
    {
        WriteTrue(w, N.Begun, flow.Begun);
        var c = flow.Calendar;
        if (c.InitialTime is null && c.FlowTime is null && c.Duration is null && c.Increment is null &&
            c.InitialRealTime is null && c.LastRealTime is null)
        {
            return;
        }

        w.WriteStartObject(N.Calendar);
        WriteInstant(w, N.InitialTime, c.InitialTime);
        WriteInstant(w, N.FlowTime, c.FlowTime);
        WriteSpan(w, N.Duration, c.Duration);
        WriteSpan(w, N.Increment, c.Increment);
        WriteInstant(w, N.InitialRealTime, c.InitialRealTime);
        WriteInstant(w, N.LastRealTime, c.LastRealTime);
        w.WriteEndObject();
    }

    private static void WriteTaskState(Utf8JsonWriter w, Task task)
    {
        if (task is ShellScriptTask { ScriptPath: { } script })
        {
            w.WriteString(N.Script, script);
        }

        WriteTaskRuntime(w, task);
    }

    /// <summary>The run-time identity of a task's current try.</summary>
    internal static void WriteTaskRuntime(Utf8JsonWriter w, Task task)
    {
        WriteText(w, N.TaskId, task.TaskId);
        WriteText(w, N.AbortedReason, task.AbortedReason);
        if (task.TryNo != 0)
        {
            w.WriteNumber(N.TryNo, task.TryNo);
        }

        WriteText(w, N.Password, task.Password);
        WriteInstant(w, N.SubmittedAt, task.SubmittedAt);
        WriteInstant(w, N.ActiveAt, task.ActiveAt);
        WriteInstant(w, N.FinishedAt, task.FinishedAt);
        WriteTrue(w, N.AbortedByOperator, task.AbortedByOperator);
    }

    /// <summary>Parameters of a node (an <see cref="AttributeList{T}"/>) or of the server (a list): generic, so neither is boxed.</summary>
    private static void WriteParameters<TList>(Utf8JsonWriter w, TList parameters)
        where TList : IReadOnlyList<Parameter>
    {
        if (parameters.Count == 0)
        {
            return;
        }

        w.WriteStartArray(N.Parameters);
        for (var i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            w.WriteStartObject();
            w.WriteString(N.Name, p.Name);
            w.WriteString(N.Value, p.Value);
            if (p.Kind != ParameterKind.String)
            {
                w.WriteString(N.Kind, KindName(p.Kind));
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteEvents(Utf8JsonWriter w, AttributeList<Event> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        w.WriteStartArray(N.Events);
        foreach (var e in events)
        {
            w.WriteStartObject();
            if (e.Name.Length > 0)
            {
                w.WriteString(N.Name, e.Name);
            }

            if (e.Number is { } number)
            {
                w.WriteNumber(N.Number, number);
            }

            WriteTrue(w, N.Initial, e.InitialValue);
            WriteTrue(w, N.Value, e.Value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteMeters(Utf8JsonWriter w, AttributeList<Meter> meters)
    {
        if (meters.Count == 0)
        {
            return;
        }

        w.WriteStartArray(N.Meters);
        foreach (var m in meters)
        {
            w.WriteStartObject();
            w.WriteString(N.Name, m.Name);
            w.WriteNumber(N.Min, m.Min);
            w.WriteNumber(N.Max, m.Max);
            if (m.Threshold is { } threshold)
            {
                w.WriteNumber(N.Threshold, threshold);
            }

            w.WriteNumber(N.Value, m.Value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteLabels(Utf8JsonWriter w, AttributeList<Label> labels)
    {
        if (labels.Count == 0)
        {
            return;
        }

        w.WriteStartArray(N.Labels);
        foreach (var l in labels)
        {
            w.WriteStartObject();
            w.WriteString(N.Name, l.Name);
            w.WriteString(N.Default, l.DefaultText);
            w.WriteString(N.Text, l.Text);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteLimits(Utf8JsonWriter w, IReadOnlyList<Limit> limits)
    {
        if (limits.Count == 0)
        {
            return;
        }

        w.WriteStartArray(N.Limits);
        foreach (var l in limits)
        {
            w.WriteStartObject();
            w.WriteString(N.Name, l.Name);
            w.WriteNumber(N.Max, l.Max);
            w.WriteNumber(N.Value, l.Value);
            if (l.Holders.Count > 0)
            {
                w.WriteStartObject(N.Holders);
                foreach (var (path, tokens) in l.Holders)
                {
                    w.WriteNumber(path, tokens);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteInLimits(Utf8JsonWriter w, IReadOnlyList<InLimit> inLimits)
    {
        if (inLimits.Count == 0)
        {
            return;
        }

        w.WriteStartArray(N.InLimits);
        foreach (var il in inLimits)
        {
            w.WriteStartObject();
            w.WriteString(N.Name, il.Name);
            WriteText(w, N.Path, il.Path);
            w.WriteNumber(N.Tokens, il.Tokens);
            WriteTrue(w, N.Families, il.LimitFamilies);
            WriteTrue(w, N.SubmissionOnly, il.SubmissionOnly);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteExpression(Utf8JsonWriter w, string name, ExpressionAttribute? expression)
    {
        if (expression is null)
        {
            return;
        }

        w.WriteStartObject(name);
        w.WriteStartArray(N.Parts);
        foreach (var part in expression.Parts)
        {
            w.WriteStartObject();
            if (part.Join != ExpressionJoin.None)
            {
                w.WriteString(N.Join, part.Join == ExpressionJoin.Or ? "or" : "and");
            }

            w.WriteString(N.Text, part.Text);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteTrue(w, N.Free, expression.Free);
        w.WriteEndObject();
    }

    private static void WriteRepeat(Utf8JsonWriter w, Repeat repeat)
    {
        w.WriteStartObject(N.Repeat);
        w.WriteString(N.Kind, repeat.Kind);
        w.WriteString(N.Name, repeat.Name);
        switch (repeat)
        {
            case RepeatDate d:
                w.WriteNumber(N.Start, d.Start);
                w.WriteNumber(N.End, d.End);
                w.WriteNumber(N.Step, d.Step);
                break;
            case RepeatInteger i:
                w.WriteNumber(N.Start, i.Start);
                w.WriteNumber(N.End, i.End);
                w.WriteNumber(N.Step, i.Step);
                break;
            case RepeatDateTime dt:
                WriteInstant(w, N.Start, dt.Start);
                WriteInstant(w, N.End, dt.End);
                WriteSpan(w, N.Step, dt.Step);
                break;
            case RepeatDateList list:
                w.WriteStartArray(N.Values);
                foreach (var d in list.Dates)
                {
                    w.WriteNumberValue(d);
                }

                w.WriteEndArray();
                break;
            case RepeatString s:
                WriteStrings(w, N.Values, s.Values);
                break;
            case RepeatEnumerated e:
                WriteStrings(w, N.Values, e.Values);
                break;
            case RepeatDay day:
                w.WriteNumber(N.Step, day.Step);
                break;
            default:
                throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"repeat kind {repeat.Kind} has no snapshot form");
        }

        w.WriteNumber(N.Position, repeat.Position);
        WriteTrue(w, N.Exhausted, repeat.IsExhausted);
        w.WriteEndObject();
    }

    private static void WriteTimes(Utf8JsonWriter w, IReadOnlyList<TimeAttribute> times)
    {
        if (times.Count == 0)
        {
            return;
        }

        w.WriteStartArray(N.Times);
        foreach (var t in times)
        {
            w.WriteStartObject();
            WriteSeries(w, t.Series);
            WriteTrue(w, N.Today, t.IsToday);
            WriteSlotState(w, t.Free, t.NextSlot, t.LastFired, t.Since, t.MissedSlots);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteDates(Utf8JsonWriter w, IReadOnlyList<DateAttribute> dates)
    {
        if (dates.Count == 0)
        {
            return;
        }

        w.WriteStartArray(N.Dates);
        foreach (var d in dates)
        {
            w.WriteStartObject();
            w.WriteNumber(N.Day, d.Day);
            w.WriteNumber(N.Month, d.Month);
            w.WriteNumber(N.Year, d.Year);
            WriteTrue(w, N.Free, d.Free);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteDays(Utf8JsonWriter w, IReadOnlyList<DayAttribute> days)
    {
        if (days.Count == 0)
        {
            return;
        }

        w.WriteStartArray(N.Days);
        foreach (var d in days)
        {
            w.WriteStartObject();
            w.WriteString(N.Day, d.Day.ToString().ToLowerInvariant());
            WriteTrue(w, N.Free, d.Free);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteCrons(Utf8JsonWriter w, IReadOnlyList<CronAttribute> crons)
    {
        if (crons.Count == 0)
        {
            return;
        }

        w.WriteStartArray(N.Crons);
        foreach (var c in crons)
        {
            w.WriteStartObject();
            WriteSeries(w, c.Series);
            WriteInts(w, N.WeekDays, c.WeekDays);
            WriteInts(w, N.LastWeekDays, c.LastWeekDays);
            WriteInts(w, N.DaysOfMonth, c.DaysOfMonth);
            WriteTrue(w, N.LastDayOfMonth, c.LastDayOfMonth);
            WriteInts(w, N.Months, c.Months);
            WriteSlotState(w, c.Free, c.NextSlot, c.LastFired, c.Since, c.MissedSlots);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteLate(Utf8JsonWriter w, LateAttribute late)
    {
        w.WriteStartObject(N.Late);
        WriteSpan(w, N.Submitted, late.Submitted);
        WriteSpan(w, N.Active, late.Active);
        WriteSpan(w, N.Complete, late.Complete);
        WriteTrue(w, N.CompleteRelative, late.CompleteRelative);
        w.WriteEndObject();
    }

    private static void WriteKept(Utf8JsonWriter w, IReadOnlyList<KeptAttribute> kept)
    {
        if (kept.Count == 0)
        {
            return;
        }

        w.WriteStartArray(N.Kept);
        foreach (var k in kept)
        {
            w.WriteStartObject();
            w.WriteString(N.Keyword, k.Keyword);
            w.WriteString(N.Arguments, k.Arguments);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteClock(Utf8JsonWriter w, string name, ClockAttribute? clock)
    {
        if (clock is null)
        {
            return;
        }

        w.WriteStartObject(name);
        WriteTrue(w, N.Hybrid, clock.Hybrid);
        if (clock.StartDate is { } date)
        {
            w.WriteString(N.StartDate, date.ToString(N.DateFormat, CultureInfo.InvariantCulture));
        }

        if (clock.Gain != TimeSpan.Zero)
        {
            WriteSpan(w, N.Gain, clock.Gain);
        }

        WriteTrue(w, N.GainGiven, clock.GainGiven);
        w.WriteEndObject();
    }

    private static void WriteSeries(Utf8JsonWriter w, TimeSeries series)
    {
        WriteSpan(w, N.Start, series.Start);
        WriteSpan(w, N.End, series.End);
        WriteSpan(w, N.Increment, series.Increment);
        WriteTrue(w, N.Relative, series.Relative);
    }

    internal static void WriteSlotState(Utf8JsonWriter w, bool free, int nextSlot, DateTime? lastFired, DateTime? since, int missedSlots)
    {
        WriteTrue(w, N.Free, free);
        if (nextSlot != 0)
        {
            w.WriteNumber(N.NextSlot, nextSlot);
        }

        WriteInstant(w, N.LastFired, lastFired);
        WriteInstant(w, N.Since, since);
        if (missedSlots != 0)
        {
            w.WriteNumber(N.MissedSlots, missedSlots);
        }
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void WriteInts(Utf8JsonWriter w, string name, IReadOnlyList<int> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }

    internal static void WriteTrue(Utf8JsonWriter w, string name, bool value)
    {
        if (value)
        {
            w.WriteBoolean(name, true);
        }
    }

    internal static void WriteText(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    internal static void WriteInstant(Utf8JsonWriter w, string name, DateTime? value)
    {
        if (value is { } v)
        {
            w.WriteString(name, v.ToString(N.InstantFormat, CultureInfo.InvariantCulture));
        }
    }

    internal static void WriteInstant(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            w.WriteString(name, v.ToString(N.InstantFormat, CultureInfo.InvariantCulture));
        }
    }

    internal static void WriteSpan(Utf8JsonWriter w, string name, TimeSpan? value)
    {
        if (value is { } v)
        {
            w.WriteString(name, v.ToString(N.TimeSpanFormat, CultureInfo.InvariantCulture));
        }
    }

    internal static string KindName(ParameterKind kind) => kind switch
    {
        ParameterKind.Integer => "integer",
        ParameterKind.Float => "float",
        ParameterKind.Boolean => "boolean",
        ParameterKind.Null => "null",
        _ => "string",
    };
}
