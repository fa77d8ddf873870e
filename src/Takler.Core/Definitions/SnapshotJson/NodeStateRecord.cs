using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;
using N = Takler.Core.Definitions.SnapshotJson.SnapshotNames;
using R = Takler.Core.Definitions.SnapshotJson.SnapshotReader;
using W = Takler.Core.Definitions.SnapshotJson.SnapshotWriter;

namespace Takler.Core.Definitions.SnapshotJson;

/// <summary>
/// The run-time state of one node — not its definition, not its children — in the snapshot format's own terms
/// (the same keys and value forms as <see cref="SnapshotWriter"/>): what a journal records after a node changes, so
/// that a snapshot followed by the records of later changes gives back the tree exactly.
/// <para>
/// A record names its node by path and lists attribute values in the node's own order (events, meters, labels,
/// limits, times, crons, dates, days); the definition comes from the snapshot. Every state field is written or
/// implied by its absence (false, null, 0), so applying a record sets the node's whole state. A record that does not
/// fit its node (no such node, another number of attributes) is an <see cref="TaklerErrorCode.InvalidRequest"/> error.
/// </para>
/// </summary>
public static class NodeStateRecord
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The record of a node as UTF-8 JSON.</summary>
    public static byte[] ToBytes(Node node)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            Write(node, w);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the record of a node as one JSON object.</summary>
    public static void Write(Node node, Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString(N.Path, node.Path);
        w.WriteString(N.Status, node.Status.Name());
        W.WriteTrue(w, N.Suspended, node.Suspended);
        W.WriteTrue(w, N.IsLate, node.IsLate);
        if (node.DefaultStatus != DefaultStatus.Queued)
        {
            w.WriteString(N.DefStatus, node.DefaultStatus.Name());
        }

        W.WriteInstant(w, N.RequeuedAt, node.RequeuedAt);
        WriteAttributes(node, w);
        switch (node)
        {
            case Flow flow:
                W.WriteBegunAndCalendar(w, flow);
                break;
            case Task task:
                W.WriteTaskRuntime(w, task);
                break;
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// Applies a record to the node it names in <paramref name="bunch"/>, without side effects (no observer, no
    /// limit tokens taken or released). Call <see cref="RelinkHeldLimits"/> once after the last record.
    /// </summary>
    public static Node Apply(Bunch bunch, ReadOnlyMemory<byte> utf8Json)
    {
        using var document = R.Parse(utf8Json);
        return Apply(bunch, document.RootElement);
    }

    /// <summary>Applies a record given as a parsed JSON object; see <see cref="Apply(Bunch, ReadOnlyMemory{byte})"/>.</summary>
    public static Node Apply(Bunch bunch, JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            throw R.Fail("record", "a node state record must be an object");
        }

        var path = R.Str(record, N.Path, "record");
        var node = (NodePaths.IsAbsolute(path) ? NodePaths.ResolveAbsolute(bunch, path) : null)
            ?? throw R.Fail(path, "the record names a node that does not exist");
        var f = new SnapshotReader.NodeFields(record);
        var statusText = f.Status.ValueKind == JsonValueKind.String ? f.Status.GetString()! : throw R.Fail(path, "'status' is missing or not a string");
        node.RestoreStatus(NodeStatuses.TryParse(statusText, out var status) ? status : throw R.Fail(path, $"unknown status '{statusText}'"));
        node.Suspended = R.AsFlag(f.Suspended, N.Suspended, path);
        node.IsLate = R.AsFlag(f.IsLate, N.IsLate, path);
        var defaultStatus = DefaultStatus.Queued;
        if (R.Present(f.DefStatus))
        {
            var text = R.AsString(f.DefStatus, N.DefStatus, path);
            defaultStatus = DefaultStatuses.TryParse(text, out var ds) ? ds : throw R.Fail(path, $"unknown defstatus '{text}'");
        }

        node.DefaultStatus = defaultStatus;
        node.RequeuedAt = R.AsOffset(f.RequeuedAt, N.RequeuedAt, path);
        ApplyAttributes(node, record, f, path);
        switch (node)
        {
            case Flow flow:
                R.ReadBegunAndCalendar(flow, f, path);
                break;
            case Task task:
                R.ReadTaskState(task, f, path);
                break;
        }

        return node;
    }

    /// <summary>Re-links every task to the limits that record it as a holder (after the last <see cref="Apply(Bunch, JsonElement)"/>).</summary>
    public static void RelinkHeldLimits(Bunch bunch)
    {
        foreach (var node in bunch.AllNodes())
        {
            if (node is Task task)
            {
                task.RelinkHeldLimits();
            }
        }
    }

    private static void WriteAttributes(Node node, Utf8JsonWriter w)
    {
        if (node.Events.Count > 0)
        {
            w.WriteStartArray(N.Events);
            foreach (var e in node.Events)
            {
                w.WriteBooleanValue(e.Value);
            }

            w.WriteEndArray();
        }

        if (node.Meters.Count > 0)
        {
            w.WriteStartArray(N.Meters);
            foreach (var m in node.Meters)
            {
                w.WriteNumberValue(m.Value);
            }

            w.WriteEndArray();
        }

        if (node.Labels.Count > 0)
        {
            w.WriteStartArray(N.Labels);
            foreach (var l in node.Labels)
            {
                w.WriteStringValue(l.Text);
            }

            w.WriteEndArray();
        }

        if (node.Limits.Count > 0)
        {
            w.WriteStartArray(N.Limits);
            foreach (var l in node.Limits)
            {
                w.WriteStartObject();
                w.WriteNumber(N.Value, l.Value);
                if (l.Holders.Count > 0)
                {
                    w.WriteStartObject(N.Holders);
                    foreach (var (holder, tokens) in l.Holders)
                    {
                        w.WriteNumber(holder, tokens);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        W.WriteTrue(w, N.TriggerFree, node.Trigger?.Free ?? false);
        W.WriteTrue(w, N.CompleteFree, node.Complete?.Free ?? false);
        if (node.Repeat is { } repeat)
        {
            w.WriteStartObject(N.Repeat);
            w.WriteNumber(N.Position, repeat.Position);
            W.WriteTrue(w, N.Exhausted, repeat.IsExhausted);
            w.WriteEndObject();
        }

        if (node.Times.Count > 0)
        {
            w.WriteStartArray(N.Times);
            foreach (var t in node.Times)
            {
                w.WriteStartObject();
                W.WriteSlotState(w, t.Free, t.NextSlot, t.LastFired, t.Since, t.MissedSlots);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (node.Crons.Count > 0)
        {
            w.WriteStartArray(N.Crons);
            foreach (var c in node.Crons)
            {
                w.WriteStartObject();
                W.WriteSlotState(w, c.Free, c.NextSlot, c.LastFired, c.Since, c.MissedSlots);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (node.Dates.Count > 0)
        {
            w.WriteStartArray(N.Dates);
            foreach (var d in node.Dates)
            {
                w.WriteBooleanValue(d.Free);
            }

            w.WriteEndArray();
        }

        if (node.Days.Count > 0)
        {
            w.WriteStartArray(N.Days);
            foreach (var d in node.Days)
            {
                w.WriteBooleanValue(d.Free);
            }

            w.WriteEndArray();
        }
    }

    private static void ApplyAttributes(Node node, JsonElement record, SnapshotReader.NodeFields f, string path)
    {
        var i = 0;
        foreach (var v in Items(f.Events, N.Events, node.Events.Count, path))
        {
            node.Events[i++].Value = R.AsFlag(v, N.Events, path);
        }

        i = 0;
        foreach (var v in Items(f.Meters, N.Meters, node.Meters.Count, path))
        {
            node.Meters[i++].SetValue(R.AsInt(v, N.Meters, path));
        }

        i = 0;
        foreach (var v in Items(f.Labels, N.Labels, node.Labels.Count, path))
        {
            node.Labels[i++].Text = R.AsString(v, N.Labels, path);
        }

        i = 0;
        foreach (var v in Items(f.Limits, N.Limits, node.Limits.Count, path))
        {
            var holders = new List<KeyValuePair<string, int>>();
            if (R.TryGet(v, N.Holders, out var h))
            {
                if (h.ValueKind != JsonValueKind.Object)
                {
                    throw R.Fail(path, $"'{N.Holders}' must be an object");
                }

                foreach (var p in h.EnumerateObject())
                {
                    holders.Add(new(p.Name, R.AsInt(p.Value, N.Holders, path)));
                }
            }

            node.Limits[i++].RestoreUsage(holders, R.Int(v, N.Value, path));
        }

        SetFree(node.Trigger, R.Flag(record, N.TriggerFree, path), N.TriggerFree, path);
        SetFree(node.Complete, R.Flag(record, N.CompleteFree, path), N.CompleteFree, path);
        if (R.Present(f.Repeat) != node.Repeat is not null)
        {
            throw R.Fail(path, "the record and the node disagree on the repeat");
        }

        if (node.Repeat is { } repeat)
        {
            repeat.SetPosition(R.Int(f.Repeat, N.Position, path), R.Flag(f.Repeat, N.Exhausted, path));
        }

        i = 0;
        foreach (var v in Items(f.Times, N.Times, node.Times.Count, path))
        {
            var time = node.Times[i++];
            (time.Free, time.NextSlot, time.LastFired, time.Since, time.MissedSlots) = R.ReadSlotState(v, path);
        }

        i = 0;
        foreach (var v in Items(f.Crons, N.Crons, node.Crons.Count, path))
        {
            var cron = node.Crons[i++];
            (cron.Free, cron.NextSlot, cron.LastFired, cron.Since, cron.MissedSlots) = R.ReadSlotState(v, path);
        }

        i = 0;
        foreach (var v in Items(f.Dates, N.Dates, node.Dates.Count, path))
        {
            node.Dates[i++].Free = R.AsFlag(v, N.Dates, path);
        }

        i = 0;
        foreach (var v in Items(f.Days, N.Days, node.Days.Count, path))
        {
            node.Days[i++].Free = R.AsFlag(v, N.Days, path);
        }
    }

    /// <summary>The items of an attribute array, which must have one per attribute of the node (none when absent).</summary>
    private static JsonElement.ArrayEnumerator Items(JsonElement value, string key, int expected, string path)
    {
        var length = R.Present(value) && value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : 0;
        if (length != expected)
        {
            throw R.Fail(path, $"the record has {length} {key} and the node {expected}");
        }

        return R.AsArray(value, key, path);
    }

    private static void SetFree(Attributes.ExpressionAttribute? expression, bool free, string key, string path)
    {
        if (expression is not null)
        {
            expression.Free = free;
        }
        else if (free)
        {
            throw R.Fail(path, $"'{key}' is set and the node has no such expression");
        }
    }
}
