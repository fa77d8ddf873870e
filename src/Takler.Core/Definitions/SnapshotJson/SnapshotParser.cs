using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;
using N = Takler.Core.Definitions.SnapshotJson.SnapshotNames;

namespace Takler.Core.Definitions.SnapshotJson;

/// <summary>What one snapshot document holds, read but not yet applied to a bunch.</summary>
internal sealed class SnapshotContent
{
    public string? Host { get; set; }

    public int? Port { get; set; }

    public string? Home { get; set; }

    public List<Parameter> Parameters { get; } = [];

    public List<Flow> Flows { get; } = [];

    /// <summary>The paths named as limit holders: the tasks to re-link once every flow is in place.</summary>
    public HashSet<string> HolderPaths { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The single pass behind <see cref="SnapshotReader"/>: walks the tokens of a snapshot with a
/// <see cref="Utf8JsonReader"/> and builds the tree as it goes. A document model of a 100,000-task snapshot is a
/// quarter of a gigabyte of short-lived memory and most of a restart's time; this reads it with no model at all:
/// property names are matched on their UTF-8 bytes, numbers, flags and statuses are read from the token, and
/// repeated strings are shared through a <see cref="Utf8StringPool"/>.
/// <para>
/// Keys may come in any order. A node is made once its kind and name are known: the writer puts them first, and
/// when they are not, the node object is scanned for them and then read again from its start (a copy of the reader
/// keeps the position). The path of a node, for error messages, is built only when an error is thrown.
/// </para>
/// </summary>
internal ref struct SnapshotParser
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 1000 };

    private readonly Utf8StringPool _strings = new();

    // The children read so far on the current path from the root (see ReadChildren).
    private readonly List<Node> _childScratch = [];

    // Reading from a stream (SnapshotParser(Stream)): the reader reads a window of the document, which is refilled
    // from the stream as the reader consumes it; without a stream the whole document is in the reader's span.
    private readonly Stream? _source;
    private byte[] _window = [];
    private int _windowEnd;
    private bool _sourceDone;

    // Where the reader's span starts in the window.
    private int _base;

    // Places the reader may go back to (Pin): while there are any, the window's bytes stay where they are.
    private int _pins;
    private Utf8JsonReader _json;

    // The body object when it came before the header: it is read from this copy after the header was checked.
    private Mark _bodyStart;
    private Mark _documentEnd;
    private bool _bodyCameLate;

    // Most nodes of a tree were requeued at the same instant: the last text parsed (a copy) and its value.
    // (A copy: the reader's window moves under a stream's read.)
    private readonly byte[] _lastInstantText = new byte[64];
    private int _lastInstantLength;
    private DateTimeOffset _lastInstant;

    public SnapshotParser(ReadOnlySpan<byte> utf8Json)
    {
        _json = new Utf8JsonReader(utf8Json, Options);
    }

    /// <summary>
    /// A parser that reads the document from <paramref name="source"/> a window of <paramref name="windowSize"/> bytes
    /// at a time, so that the whole document is never in memory (a restart of a large tree is mostly the time taken
    /// to touch memory for the first time). The window only grows for a value larger than it, or to go back over
    /// more than it holds (keys out of the order the writer puts them in). A UTF-8 byte order mark is passed over.
    /// </summary>
    public SnapshotParser(Stream source, int windowSize = DefaultWindowSize)
    {
        _source = source;
        _window = new byte[Math.Max(windowSize, 4)];
        Fill();
        _base = _window.AsSpan(0, _windowEnd).StartsWith("\uFEFF"u8) ? 3 : 0;
        _json = new Utf8JsonReader(_window.AsSpan(_base, _windowEnd - _base), _sourceDone, new JsonReaderState(Options));
    }

    /// <summary>The window a streaming parser starts with.</summary>
    public const int DefaultWindowSize = 256 * 1024;

    /// <summary>The size of a streaming parser's window now (for tests: it grows only when it must).</summary>
    internal readonly int WindowSize => _window.Length;

    private enum NodeKey
    {
        Other,
        Kind,
        Name,
        Status,
        Suspended,
        IsLate,
        DefStatus,
        RequeuedAt,
        Parameters,
        Events,
        Meters,
        Labels,
        Limits,
        InLimits,
        Trigger,
        Complete,
        Repeat,
        Times,
        Dates,
        Days,
        Crons,
        Late,
        Kept,
        Clock,
        EndClock,
        Begun,
        Calendar,
        Script,
        TaskId,
        AbortedReason,
        TryNo,
        Password,
        SubmittedAt,
        ActiveAt,
        FinishedAt,
        AbortedByOperator,
        Children,
    }

    /// <summary>A bunch document; <paramref name="withServer"/> false leaves host, port and home unread (a restart keeps its own).</summary>
    public SnapshotContent ReadBunchDocument(bool withServer)
    {
        EnterBody("bunch"u8, N.Bunch);
        var content = new SnapshotContent();
        var site = Site.Fixed("bunch");
        while (NextProperty())
        {
            if (withServer && Is("host"u8))
            {
                content.Host = ReadString(site, N.Host);
            }
            else if (withServer && Is("port"u8))
            {
                content.Port = ReadInt(site, N.Port);
            }
            else if (withServer && Is("home"u8))
            {
                content.Home = ReadString(site, N.Home);
            }
            else if (Is("parameters"u8))
            {
                for (var more = EnterArray(site, N.Parameters); more && NextItem();)
                {
                    content.Parameters.Add(ReadParameter(site));
                }
            }
            else if (Is("flows"u8))
            {
                for (var more = EnterArray(site, N.Flows); more && NextItem();)
                {
                    if (ReadNode(string.Empty, content) is not Flow flow)
                    {
                        throw Fail(site, "every item of 'flows' must be a flow");
                    }

                    if (content.Flows.Exists(f => f.Name == flow.Name))
                    {
                        throw Fail(site, $"flow {flow.Name} appears twice");
                    }

                    content.Flows.Add(flow);
                }
            }
            else
            {
                SkipValue();
            }
        }

        LeaveBody();
        return content;
    }

    /// <summary>A single-flow document.</summary>
    public SnapshotContent ReadFlowDocument()
    {
        EnterBody("flow"u8, N.Flow);
        var content = new SnapshotContent();
        content.Flows.Add((Flow)ReadNode(string.Empty, content));
        LeaveBody();
        return content;
    }

    /// <summary>
    /// After a read failed on what it found, the JSON error further on, if any: a damaged (e.g. truncated) document
    /// is reported as not valid JSON, as when the whole document was parsed before it was read.
    /// </summary>
    public JsonException? FindJsonErrorAfter()
    {
        try
        {
            while (Read())
            {
            }

            return null;
        }
        catch (JsonException e)
        {
            return e;
        }
    }

    /// <summary>
    /// Checks the header (format, version) and leaves the reader on the start of the body object. The body is read
    /// where it stands when the header came first (as the writer puts it); otherwise from a copy of the reader made
    /// while the rest of the document was scanned.
    /// </summary>
    private void EnterBody(ReadOnlySpan<byte> key, string keyName)
    {
        Read();
        if (_json.TokenType != JsonTokenType.StartObject)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, $"not a {SnapshotFormat.Name}: the document is not an object");
        }

        string? format = null;
        int? version = null;
        while (NextProperty())
        {
            if (Is("format"u8))
            {
                Read();
                format = _json.TokenType == JsonTokenType.String ? _json.GetString() : null;
                SkipValue();
            }
            else if (Is("version"u8))
            {
                Read();
                version = _json.TokenType == JsonTokenType.Number && _json.TryGetInt32(out var v) ? v : null;
                SkipValue();
            }
            else if (_json.ValueTextEquals(key))
            {
                Read();
                if (format is not null && version is not null)
                {
                    CheckHeader(format, version);
                    if (_json.TokenType != JsonTokenType.StartObject)
                    {
                        throw NoBody(keyName);
                    }

                    return;
                }

                _bodyStart = Pin(); // kept to the end
                _bodyCameLate = true;
                SkipValue();
            }
            else
            {
                SkipValue();
            }
        }

        EndOfDocument();
        CheckHeader(format, version);
        if (!_bodyCameLate || _bodyStart.Reader.TokenType != JsonTokenType.StartObject)
        {
            throw NoBody(keyName);
        }

        _documentEnd = new Mark { Reader = _json, Base = _base };
        Back(_bodyStart);
    }

    /// <summary>Passes what follows the body and checks that nothing comes after the document.</summary>
    private void LeaveBody()
    {
        if (_bodyCameLate)
        {
            Back(_documentEnd);
            return;
        }

        while (NextProperty())
        {
            SkipValue();
        }

        EndOfDocument();
    }

    private void EndOfDocument()
    {
        // Reading past the root value throws on anything but white space.
        while (Read())
        {
        }
    }

    /// <summary>The header checks, in the order of their messages.</summary>
    private static void CheckHeader(string? format, int? version)
    {
        if (format is null)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, $"not a {SnapshotFormat.Name}: no 'format'");
        }

        if (format != SnapshotFormat.Name)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, $"not a {SnapshotFormat.Name}: format is '{format}'");
        }

        if (version is not { } v)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, $"{SnapshotFormat.Name}: no 'version'");
        }

        if (v != SnapshotFormat.Version)
        {
            throw new TaklerException(
                TaklerErrorCode.InvalidRequest,
                $"{SnapshotFormat.Name} version {v} is not supported; this build reads version {SnapshotFormat.Version}");
        }
    }

    private static TaklerException NoBody(string keyName) =>
        new(TaklerErrorCode.InvalidRequest, $"{SnapshotFormat.Name}: no '{keyName}' object");

    /// <summary>Reads the node object the reader stands on, its subtree included; <paramref name="parentWhere"/> is the parent's path ("" for a flow).</summary>
    private Node ReadNode(string parentWhere, SnapshotContent content)
    {
        if (_json.TokenType != JsonTokenType.StartObject)
        {
            throw SnapshotReader.Fail(parentWhere.Length == 0 ? "/" : parentWhere, "a node must be an object");
        }

        var (kind, name) = ReadKindAndName(parentWhere);
        var site = new Site(parentWhere, name);
        Node node = (kind, parentWhere.Length == 0) switch
        {
            (N.KindFlow, true) => new Flow(name),
            (N.KindFamily, false) => new Family(name),
            (N.KindTask, false) => new Task(name),
            (N.KindShell, false) => new ShellScriptTask(name),
            (N.KindFlow or N.KindFamily or N.KindTask or N.KindShell, _) => throw Fail(site, $"a {kind} cannot be placed here"),
            _ => throw Fail(site, $"unknown node kind '{kind}'"),
        };

        if (node is Flow flow)
        {
            flow.Calendar.Clear();
        }

        var task = node as Task;
        var hasStatus = false;
        string? taskId = null, abortedReason = null, password = null;
        var tryNo = 0;
        while (NextProperty())
        {
            switch (CurrentNodeKey())
            {
                case NodeKey.Status:
                    node.RestoreStatus(ReadStatus(site));
                    hasStatus = true;
                    break;
                case NodeKey.Suspended:
                    node.Suspended = ReadFlag(site, N.Suspended);
                    break;
                case NodeKey.IsLate:
                    node.IsLate = ReadFlag(site, N.IsLate);
                    break;
                case NodeKey.DefStatus:
                    if (ReadOptionalString(site, N.DefStatus) is { } text)
                    {
                        node.DefaultStatus = DefaultStatuses.TryParse(text, out var ds) ? ds : throw Fail(site, $"unknown defstatus '{text}'");
                    }

                    break;
                case NodeKey.RequeuedAt:
                    node.RequeuedAt = ReadOptionalOffset(site, N.RequeuedAt);
                    break;
                case NodeKey.Parameters:
                    for (var more = EnterArray(site, N.Parameters); more && NextItem();)
                    {
                        node.AddParameter(ReadParameter(site));
                    }

                    break;
                case NodeKey.Events:
                    for (var more = EnterArray(site, N.Events); more && NextItem();)
                    {
                        node.AddEvent(ReadEvent(site));
                    }

                    break;
                case NodeKey.Meters:
                    for (var more = EnterArray(site, N.Meters); more && NextItem();)
                    {
                        node.AddMeter(ReadMeter(site));
                    }

                    break;
                case NodeKey.Labels:
                    for (var more = EnterArray(site, N.Labels); more && NextItem();)
                    {
                        node.AddLabel(ReadLabel(site));
                    }

                    break;
                case NodeKey.Limits:
                    for (var more = EnterArray(site, N.Limits); more && NextItem();)
                    {
                        node.AddLimit(ReadLimit(site, content));
                    }

                    break;
                case NodeKey.InLimits:
                    for (var more = EnterArray(site, N.InLimits); more && NextItem();)
                    {
                        node.AddInLimit(ReadInLimit(site));
                    }

                    break;
                case NodeKey.Trigger:
                    ReadExpression(node, site, N.Trigger);
                    break;
                case NodeKey.Complete:
                    ReadExpression(node, site, N.Complete);
                    break;
                case NodeKey.Repeat:
                    if (ReadRepeat(site) is { } repeat)
                    {
                        node.AddRepeat(repeat);
                    }

                    break;
                case NodeKey.Times:
                    for (var more = EnterArray(site, N.Times); more && NextItem();)
                    {
                        node.AddTime(ReadTime(site));
                    }

                    break;
                case NodeKey.Dates:
                    for (var more = EnterArray(site, N.Dates); more && NextItem();)
                    {
                        node.AddDate(ReadDate(site));
                    }

                    break;
                case NodeKey.Days:
                    for (var more = EnterArray(site, N.Days); more && NextItem();)
                    {
                        node.AddDay(ReadDay(site));
                    }

                    break;
                case NodeKey.Crons:
                    for (var more = EnterArray(site, N.Crons); more && NextItem();)
                    {
                        node.AddCron(ReadCron(site));
                    }

                    break;
                case NodeKey.Late:
                    if (ReadLate(site) is { } late)
                    {
                        node.Late = late;
                    }

                    break;
                case NodeKey.Kept:
                    for (var more = EnterArray(site, N.Kept); more && NextItem();)
                    {
                        node.AddKeptAttribute(ReadKept(site));
                    }

                    break;
                case NodeKey.Clock when node is Flow f:
                    f.Clock = ReadClock(site);
                    break;
                case NodeKey.EndClock when node is Flow f:
                    f.EndClock = ReadClock(site);
                    break;
                case NodeKey.Begun when node is Flow f:
                    f.Begun = ReadFlag(site, N.Begun);
                    break;
                case NodeKey.Calendar when node is Flow f:
                    ReadCalendar(f.Calendar, site);
                    break;
                case NodeKey.Script when node is ShellScriptTask shell:
                    if (ReadOptionalString(site, N.Script) is { } script)
                    {
                        shell.ScriptPath = script;
                    }

                    break;
                case NodeKey.TaskId when task is not null:
                    taskId = ReadOptionalString(site, N.TaskId, shared: false);
                    break;
                case NodeKey.AbortedReason when task is not null:
                    abortedReason = ReadOptionalString(site, N.AbortedReason);
                    break;
                case NodeKey.TryNo when task is not null:
                    tryNo = ReadOptionalInt(site, N.TryNo) ?? 0;
                    break;
                case NodeKey.Password when task is not null:
                    password = ReadOptionalString(site, N.Password, shared: false);
                    break;
                case NodeKey.SubmittedAt when task is not null:
                    task.SubmittedAt = ReadOptionalOffset(site, N.SubmittedAt);
                    break;
                case NodeKey.ActiveAt when task is not null:
                    task.ActiveAt = ReadOptionalOffset(site, N.ActiveAt);
                    break;
                case NodeKey.FinishedAt when task is not null:
                    task.FinishedAt = ReadOptionalOffset(site, N.FinishedAt);
                    break;
                case NodeKey.AbortedByOperator when task is not null:
                    task.AbortedByOperator = ReadFlag(site, N.AbortedByOperator);
                    break;
                case NodeKey.Children:
                    ReadChildren(node, site, content);
                    break;
                default:
                    // kind and name (already read), keys of another kind of node, and keys this build does not know.
                    SkipValue();
                    break;
            }
        }

        if (!hasStatus)
        {
            throw Fail(site, "'status' is missing or not a string");
        }

        task?.RestoreRuntime(taskId, abortedReason, tryNo, password);
        return node;
    }

    /// <summary>
    /// The kind and the name of the node object the reader stands on. When they are its first two keys, the reader
    /// is left after them; otherwise the object is scanned for them and the reader put back on its start.
    /// </summary>
    private (string Kind, string Name) ReadKindAndName(string parentWhere)
    {
        var start = Pin();
        string? kind = null, name = null;
        for (var i = 0; i < 2 && NextProperty(); i++)
        {
            if (Is("kind"u8))
            {
                kind = ReadStringOrNull();
            }
            else if (Is("name"u8))
            {
                name = ReadStringOrNull();
            }
            else
            {
                break;
            }
        }

        if (kind is null || name is null)
        {
            Back(start);
            kind = name = null;
            while (NextProperty())
            {
                if (Is("kind"u8))
                {
                    kind = ReadStringOrNull();
                }
                else if (Is("name"u8))
                {
                    name = ReadStringOrNull();
                }
                else
                {
                    SkipValue();
                }
            }

            Back(start);
        }

        Unpin();
        if (name is null)
        {
            throw SnapshotReader.Fail(parentWhere + "/?", "'name' is missing or not a string");
        }

        return (kind ?? throw Fail(new Site(parentWhere, name), "'kind' is missing or not a string"), name);
    }

    private void ReadChildren(Node node, Site site, SnapshotContent content)
    {
        Read();
        if (_json.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (node is not NodeContainer container)
        {
            throw Fail(site, "only a flow or a family has 'children'");
        }

        if (_json.TokenType != JsonTokenType.StartArray)
        {
            throw Fail(site, $"'{N.Children}' must be an array");
        }

        // The children are gathered on one list shared by every level (each level works above the start it found),
        // then handed over together so that the container sizes its collections exactly.
        var where = site.Where;
        var start = _childScratch.Count;
        while (NextItem())
        {
            _childScratch.Add(ReadNode(where, content));
        }

        container.AddChildren(CollectionsMarshal.AsSpan(_childScratch)[start..]);
        _childScratch.RemoveRange(start, _childScratch.Count - start);
    }

    private NodeStatus ReadStatus(Site site)
    {
        Read();
        if (_json.TokenType != JsonTokenType.String)
        {
            throw Fail(site, "'status' is missing or not a string");
        }

        if (_json.ValueTextEquals("complete"u8))
        {
            return NodeStatus.Complete;
        }

        if (_json.ValueTextEquals("queued"u8))
        {
            return NodeStatus.Queued;
        }

        var text = _json.GetString()!;
        return NodeStatuses.TryParse(text, out var status) ? status : throw Fail(site, $"unknown status '{text}'");
    }

    private Parameter ReadParameter(Site site)
    {
        ExpectObject(site);
        string? name = null, value = null, kind = null;
        while (NextProperty())
        {
            if (Is("name"u8))
            {
                name = ReadString(site, N.Name);
            }
            else if (Is("value"u8))
            {
                value = ReadString(site, N.Value);
            }
            else if (Is("kind"u8))
            {
                kind = ReadOptionalString(site, N.Kind);
            }
            else
            {
                SkipValue();
            }
        }

        return new Parameter(
            name ?? throw Missing(site, N.Name),
            value ?? throw Missing(site, N.Value),
            kind switch
            {
                null or "string" => ParameterKind.String,
                "integer" => ParameterKind.Integer,
                "float" => ParameterKind.Float,
                "boolean" => ParameterKind.Boolean,
                "null" => ParameterKind.Null,
                var other => throw Fail(site, $"unknown parameter kind '{other}'"),
            });
    }

    private Event ReadEvent(Site site)
    {
        ExpectObject(site);
        string? name = null;
        int? number = null;
        bool initial = false, value = false;
        while (NextProperty())
        {
            if (Is("name"u8))
            {
                name = ReadOptionalString(site, N.Name);
            }
            else if (Is("number"u8))
            {
                number = ReadOptionalInt(site, N.Number);
            }
            else if (Is("initial"u8))
            {
                initial = ReadFlag(site, N.Initial);
            }
            else if (Is("value"u8))
            {
                value = ReadFlag(site, N.Value);
            }
            else
            {
                SkipValue();
            }
        }

        return new Event(name ?? string.Empty, initial, number) { Value = value };
    }

    private Meter ReadMeter(Site site)
    {
        ExpectObject(site);
        string? name = null;
        int? min = null, max = null, threshold = null, value = null;
        while (NextProperty())
        {
            if (Is("name"u8))
            {
                name = ReadString(site, N.Name);
            }
            else if (Is("min"u8))
            {
                min = ReadInt(site, N.Min);
            }
            else if (Is("max"u8))
            {
                max = ReadInt(site, N.Max);
            }
            else if (Is("threshold"u8))
            {
                threshold = ReadOptionalInt(site, N.Threshold);
            }
            else if (Is("value"u8))
            {
                value = ReadInt(site, N.Value);
            }
            else
            {
                SkipValue();
            }
        }

        var meter = new Meter(
            name ?? throw Missing(site, N.Name),
            min ?? throw Missing(site, N.Min),
            max ?? throw Missing(site, N.Max),
            threshold);
        meter.SetValue(value ?? throw Missing(site, N.Value));
        return meter;
    }

    private Label ReadLabel(Site site)
    {
        ExpectObject(site);
        string? name = null, defaultText = null, text = null;
        while (NextProperty())
        {
            if (Is("name"u8))
            {
                name = ReadString(site, N.Name);
            }
            else if (Is("default"u8))
            {
                defaultText = ReadString(site, N.Default);
            }
            else if (Is("text"u8))
            {
                text = ReadString(site, N.Text);
            }
            else
            {
                SkipValue();
            }
        }

        return new Label(name ?? throw Missing(site, N.Name), defaultText ?? throw Missing(site, N.Default))
        {
            Text = text ?? throw Missing(site, N.Text),
        };
    }

    private Limit ReadLimit(Site site, SnapshotContent content)
    {
        ExpectObject(site);
        string? name = null;
        int? max = null, value = null;
        List<KeyValuePair<string, int>>? holders = null;
        while (NextProperty())
        {
            if (Is("name"u8))
            {
                name = ReadString(site, N.Name);
            }
            else if (Is("max"u8))
            {
                max = ReadInt(site, N.Max);
            }
            else if (Is("value"u8))
            {
                value = ReadInt(site, N.Value);
            }
            else if (Is("holders"u8))
            {
                holders = ReadHolders(site, content);
            }
            else
            {
                SkipValue();
            }
        }

        var limit = new Limit(name ?? throw Missing(site, N.Name), max ?? throw Missing(site, N.Max));
        limit.RestoreUsage(holders ?? [], value ?? throw Missing(site, N.Value));
        return limit;
    }

    /// <summary>A limit's holders: task path to tokens.</summary>
    private List<KeyValuePair<string, int>>? ReadHolders(Site site, SnapshotContent content)
    {
        Read();
        if (_json.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (_json.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(site, $"'{N.Holders}' must be an object");
        }

        var holders = new List<KeyValuePair<string, int>>();
        while (NextProperty())
        {
            var path = Intern();
            holders.Add(new(path, ReadInt(site, N.Holders)));
            content.HolderPaths.Add(path);
        }

        return holders;
    }

    private InLimit ReadInLimit(Site site)
    {
        ExpectObject(site);
        string? name = null, path = null;
        var tokens = 1;
        bool families = false, submissionOnly = false;
        while (NextProperty())
        {
            if (Is("name"u8))
            {
                name = ReadString(site, N.Name);
            }
            else if (Is("path"u8))
            {
                path = ReadOptionalString(site, N.Path);
            }
            else if (Is("tokens"u8))
            {
                tokens = ReadOptionalInt(site, N.Tokens) ?? 1;
            }
            else if (Is("families"u8))
            {
                families = ReadFlag(site, N.Families);
            }
            else if (Is("submissionOnly"u8))
            {
                submissionOnly = ReadFlag(site, N.SubmissionOnly);
            }
            else
            {
                SkipValue();
            }
        }

        return new InLimit(name ?? throw Missing(site, N.Name), path, tokens, families, submissionOnly);
    }

    /// <summary>A trigger or complete expression (<paramref name="key"/>): its parts, added in order, then its latch.</summary>
    private void ReadExpression(Node node, Site site, string key)
    {
        Read();
        if (_json.TokenType == JsonTokenType.Null)
        {
            return;
        }

        ExpectObject(site);
        var any = false;
        var free = false;
        while (NextProperty())
        {
            if (Is("parts"u8))
            {
                for (var more = EnterArray(site, N.Parts); more && NextItem();)
                {
                    var (join, text) = ReadExpressionPart(site, key);
                    if (key == N.Trigger)
                    {
                        node.AddTrigger(text, join);
                    }
                    else
                    {
                        node.AddComplete(text, join);
                    }

                    any = true;
                }
            }
            else if (Is("free"u8))
            {
                free = ReadFlag(site, N.Free);
            }
            else
            {
                SkipValue();
            }
        }

        if (!any)
        {
            throw Fail(site, $"'{key}' has no parts");
        }

        (key == N.Trigger ? node.Trigger : node.Complete)!.Free = free;
    }

    private (ExpressionJoin Join, string Text) ReadExpressionPart(Site site, string key)
    {
        ExpectObject(site);
        var join = ExpressionJoin.None;
        string? text = null;
        while (NextProperty())
        {
            if (Is("join"u8))
            {
                join = ReadOptionalString(site, N.Join) switch
                {
                    null => ExpressionJoin.None,
                    "and" => ExpressionJoin.And,
                    "or" => ExpressionJoin.Or,
                    var other => throw Fail(site, $"unknown {key} join '{other}'"),
                };
            }
            else if (Is("text"u8))
            {
                text = ReadString(site, N.Text);
            }
            else
            {
                SkipValue();
            }
        }

        return (join, text ?? throw Missing(site, N.Text));
    }

    /// <summary>
    /// A repeat. Its kind says how start, end, step and values read, so the object is first scanned for the kind,
    /// then read from its start (repeats are few: one per family at most).
    /// </summary>
    private Repeat? ReadRepeat(Site site)
    {
        Read();
        if (_json.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectObject(site);
        var start = Pin();
        string? kind = null;
        while (NextProperty())
        {
            if (Is("kind"u8))
            {
                kind = ReadString(site, N.Kind);
            }
            else
            {
                SkipValue();
            }
        }

        if (kind is not ("date" or "integer" or "datetime" or "datelist" or "string" or "enumerated" or "day"))
        {
            throw kind is null ? Missing(site, N.Kind) : Fail(site, $"unknown repeat kind '{kind}'");
        }

        Back(start);
        Unpin();
        string? name = null;
        long? first = null, last = null, step = null;
        DateTime? firstInstant = null, lastInstant = null;
        TimeSpan? stepSpan = null;
        long[]? dates = null;
        string[]? values = null;
        int? position = null;
        var exhausted = false;
        var byInstant = kind == "datetime";
        while (NextProperty())
        {
            if (Is("name"u8))
            {
                name = ReadString(site, N.Name);
            }
            else if (Is("start"u8) && byInstant)
            {
                firstInstant = ReadOptionalInstant(site, N.Start);
            }
            else if (Is("start"u8) && kind is ("date" or "integer"))
            {
                first = ReadLong(site, N.Start);
            }
            else if (Is("end"u8) && byInstant)
            {
                lastInstant = ReadOptionalInstant(site, N.End);
            }
            else if (Is("end"u8) && kind is ("date" or "integer"))
            {
                last = ReadLong(site, N.End);
            }
            else if (Is("step"u8) && kind is ("date" or "integer" or "datetime" or "day"))
            {
                if (byInstant)
                {
                    stepSpan = ReadOptionalSpan(site, N.Step);
                }
                else
                {
                    step = kind == "integer" ? ReadLong(site, N.Step) : ReadInt(site, N.Step);
                }
            }
            else if (Is("values"u8) && kind == "datelist")
            {
                dates = ReadLongs(site);
            }
            else if (Is("values"u8) && kind is ("string" or "enumerated"))
            {
                values = ReadStrings(site, N.Values);
            }
            else if (Is("position"u8))
            {
                position = ReadInt(site, N.Position);
            }
            else if (Is("exhausted"u8))
            {
                exhausted = ReadFlag(site, N.Exhausted);
            }
            else
            {
                SkipValue();
            }
        }

        Repeat repeat = kind switch
        {
            "date" => new RepeatDate(name ?? throw Missing(site, N.Name), first ?? throw Missing(site, N.Start), last ?? throw Missing(site, N.End), (int)(step ?? throw Missing(site, N.Step))),
            "integer" => new RepeatInteger(name ?? throw Missing(site, N.Name), first ?? throw Missing(site, N.Start), last ?? throw Missing(site, N.End), step ?? throw Missing(site, N.Step)),
            "datetime" => new RepeatDateTime(
                name ?? throw Missing(site, N.Name),
                firstInstant ?? throw Missing(site, N.Start),
                lastInstant ?? throw Missing(site, N.End),
                stepSpan ?? throw Missing(site, N.Step)),
            "datelist" => new RepeatDateList(name ?? throw Missing(site, N.Name), dates ?? []),
            "string" => new RepeatString(name ?? throw Missing(site, N.Name), values ?? []),
            "enumerated" => new RepeatEnumerated(name ?? throw Missing(site, N.Name), values ?? []),
            _ => new RepeatDay((int)(step ?? throw Missing(site, N.Step))),
        };
        repeat.SetPosition(position ?? throw Missing(site, N.Position), exhausted);
        return repeat;
    }

    private TimeAttribute ReadTime(Site site)
    {
        ExpectObject(site);
        var series = default(SeriesFields);
        var slot = default(SlotFields);
        var today = false;
        while (NextProperty())
        {
            if (Is("today"u8))
            {
                today = ReadFlag(site, N.Today);
            }
            else if (!ReadSeriesKey(site, ref series) && !ReadSlotKey(site, ref slot))
            {
                SkipValue();
            }
        }

        var time = new TimeAttribute(series.ToSeries(site), today);
        (time.Free, time.NextSlot, time.LastFired, time.Since, time.MissedSlots) = (slot.Free, slot.NextSlot, slot.LastFired, slot.Since, slot.MissedSlots);
        return time;
    }

    private CronAttribute ReadCron(Site site)
    {
        ExpectObject(site);
        var series = default(SeriesFields);
        var slot = default(SlotFields);
        int[] weekDays = [], lastWeekDays = [], daysOfMonth = [], months = [];
        var lastDayOfMonth = false;
        while (NextProperty())
        {
            if (Is("weekDays"u8))
            {
                weekDays = ReadInts(site, N.WeekDays);
            }
            else if (Is("lastWeekDays"u8))
            {
                lastWeekDays = ReadInts(site, N.LastWeekDays);
            }
            else if (Is("daysOfMonth"u8))
            {
                daysOfMonth = ReadInts(site, N.DaysOfMonth);
            }
            else if (Is("lastDayOfMonth"u8))
            {
                lastDayOfMonth = ReadFlag(site, N.LastDayOfMonth);
            }
            else if (Is("months"u8))
            {
                months = ReadInts(site, N.Months);
            }
            else if (!ReadSeriesKey(site, ref series) && !ReadSlotKey(site, ref slot))
            {
                SkipValue();
            }
        }

        var cron = new CronAttribute(series.ToSeries(site), weekDays, daysOfMonth, lastDayOfMonth, months, lastWeekDays);
        (cron.Free, cron.NextSlot, cron.LastFired, cron.Since, cron.MissedSlots) = (slot.Free, slot.NextSlot, slot.LastFired, slot.Since, slot.MissedSlots);
        return cron;
    }

    /// <summary>Reads the current key if it belongs to a time series; false when it does not.</summary>
    private bool ReadSeriesKey(Site site, ref SeriesFields series)
    {
        if (Is("start"u8))
        {
            series.Start = ReadOptionalSpan(site, N.Start);
        }
        else if (Is("end"u8))
        {
            series.End = ReadOptionalSpan(site, N.End);
        }
        else if (Is("increment"u8))
        {
            series.Increment = ReadOptionalSpan(site, N.Increment);
        }
        else if (Is("relative"u8))
        {
            series.Relative = ReadFlag(site, N.Relative);
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>Reads the current key if it belongs to a time or cron's latch state; false when it does not.</summary>
    private bool ReadSlotKey(Site site, ref SlotFields slot)
    {
        if (Is("free"u8))
        {
            slot.Free = ReadFlag(site, N.Free);
        }
        else if (Is("nextSlot"u8))
        {
            slot.NextSlot = ReadOptionalInt(site, N.NextSlot) ?? 0;
        }
        else if (Is("lastFired"u8))
        {
            slot.LastFired = ReadOptionalInstant(site, N.LastFired);
        }
        else if (Is("since"u8))
        {
            slot.Since = ReadOptionalInstant(site, N.Since);
        }
        else if (Is("missedSlots"u8))
        {
            slot.MissedSlots = ReadOptionalInt(site, N.MissedSlots) ?? 0;
        }
        else
        {
            return false;
        }

        return true;
    }

    private DateAttribute ReadDate(Site site)
    {
        ExpectObject(site);
        int? day = null, month = null, year = null;
        var free = false;
        while (NextProperty())
        {
            if (Is("day"u8))
            {
                day = ReadInt(site, N.Day);
            }
            else if (Is("month"u8))
            {
                month = ReadInt(site, N.Month);
            }
            else if (Is("year"u8))
            {
                year = ReadInt(site, N.Year);
            }
            else if (Is("free"u8))
            {
                free = ReadFlag(site, N.Free);
            }
            else
            {
                SkipValue();
            }
        }

        return new DateAttribute(day ?? throw Missing(site, N.Day), month ?? throw Missing(site, N.Month), year ?? throw Missing(site, N.Year))
        {
            Free = free,
        };
    }

    private DayAttribute ReadDay(Site site)
    {
        ExpectObject(site);
        string? day = null;
        var free = false;
        while (NextProperty())
        {
            if (Is("day"u8))
            {
                day = ReadString(site, N.Day);
            }
            else if (Is("free"u8))
            {
                free = ReadFlag(site, N.Free);
            }
            else
            {
                SkipValue();
            }
        }

        return new DayAttribute(DayAttribute.ParseDay(day ?? throw Missing(site, N.Day))) { Free = free };
    }

    private LateAttribute? ReadLate(Site site)
    {
        Read();
        if (_json.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectObject(site);
        TimeSpan? submitted = null, active = null, complete = null;
        var completeRelative = false;
        while (NextProperty())
        {
            if (Is("submitted"u8))
            {
                submitted = ReadOptionalSpan(site, N.Submitted);
            }
            else if (Is("active"u8))
            {
                active = ReadOptionalSpan(site, N.Active);
            }
            else if (Is("complete"u8))
            {
                complete = ReadOptionalSpan(site, N.Complete);
            }
            else if (Is("completeRelative"u8))
            {
                completeRelative = ReadFlag(site, N.CompleteRelative);
            }
            else
            {
                SkipValue();
            }
        }

        return new LateAttribute(submitted, active, complete, completeRelative);
    }

    private KeptAttribute ReadKept(Site site)
    {
        ExpectObject(site);
        string? keyword = null, arguments = null;
        while (NextProperty())
        {
            if (Is("keyword"u8))
            {
                keyword = ReadString(site, N.Keyword);
            }
            else if (Is("arguments"u8))
            {
                arguments = ReadString(site, N.Arguments);
            }
            else
            {
                SkipValue();
            }
        }

        return new KeptAttribute(keyword ?? throw Missing(site, N.Keyword), arguments ?? throw Missing(site, N.Arguments));
    }

    private ClockAttribute? ReadClock(Site site)
    {
        Read();
        if (_json.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectObject(site);
        var hybrid = false;
        var gainGiven = false;
        DateOnly? startDate = null;
        TimeSpan? gain = null;
        while (NextProperty())
        {
            if (Is("hybrid"u8))
            {
                hybrid = ReadFlag(site, N.Hybrid);
            }
            else if (Is("startDate"u8))
            {
                startDate = ReadOptionalString(site, N.StartDate) is { } text
                    ? DateOnly.TryParseExact(text, N.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                        ? date
                        : throw Fail(site, $"'{N.StartDate}' is not a date: '{text}'")
                    : null;
            }
            else if (Is("gain"u8))
            {
                gain = ReadOptionalSpan(site, N.Gain);
            }
            else if (Is("gainGiven"u8))
            {
                gainGiven = ReadFlag(site, N.GainGiven);
            }
            else
            {
                SkipValue();
            }
        }

        return new ClockAttribute(hybrid, startDate, gain ?? TimeSpan.Zero, gainGiven);
    }

    private void ReadCalendar(FlowCalendar calendar, Site site)
    {
        Read();
        if (_json.TokenType == JsonTokenType.Null)
        {
            return;
        }

        ExpectObject(site);
        while (NextProperty())
        {
            if (Is("initialTime"u8))
            {
                calendar.InitialTime = ReadOptionalInstant(site, N.InitialTime);
            }
            else if (Is("flowTime"u8))
            {
                calendar.FlowTime = ReadOptionalInstant(site, N.FlowTime);
            }
            else if (Is("duration"u8))
            {
                calendar.Duration = ReadOptionalSpan(site, N.Duration);
            }
            else if (Is("increment"u8))
            {
                calendar.Increment = ReadOptionalSpan(site, N.Increment);
            }
            else if (Is("initialRealTime"u8))
            {
                calendar.InitialRealTime = ReadOptionalInstant(site, N.InitialRealTime);
            }
            else if (Is("lastRealTime"u8))
            {
                calendar.LastRealTime = ReadOptionalInstant(site, N.LastRealTime);
            }
            else
            {
                SkipValue();
            }
        }
    }

    // ---- Tokens ----

    /// <summary>Moves to the next key of the object being read; false at its end.</summary>
    private bool NextProperty()
    {
        Read();
        return _json.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>Moves to the next item of the array being read; false at its end.</summary>
    private bool NextItem()
    {
        Read();
        return _json.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>Whether the current key is <paramref name="utf8Name"/>.</summary>
    private bool Is(ReadOnlySpan<byte> utf8Name) => _json.ValueTextEquals(utf8Name);

    /// <summary>Passes the value of the current key, whatever it holds.</summary>
    private void SkipValue()
    {
        while (!_json.TrySkip())
        {
            if (!Refill())
            {
                _json.Skip(); // the whole document is there: skips, or throws on what is wrong
                return;
            }
        }
    }

    /// <summary>Moves to the next token; false at the end of the document.</summary>
    private bool Read()
    {
        while (!_json.Read())
        {
            if (!Refill())
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Gives the reader more of the document: the bytes it has not consumed, and more from the stream after them.
    /// Without places to go back to, the consumed bytes are dropped first; with some, or when the window is full, the
    /// window grows (bytes keep their places, so the copies of the reader kept by <see cref="Pin"/> stay right).
    /// False when there is no more (always, without a stream).
    /// </summary>
    private bool Refill()
    {
        if (_source is null || (_sourceDone && _json.IsFinalBlock))
        {
            return false;
        }

        var state = _json.CurrentState;
        var at = _base + (int)_json.BytesConsumed;
        if (_pins == 0 && at > 0)
        {
            _window.AsSpan(at, _windowEnd - at).CopyTo(_window);
            _windowEnd -= at;
            at = 0;
        }

        if (_windowEnd == _window.Length && !_sourceDone)
        {
            var larger = new byte[_window.Length * 2];
            _window.AsSpan(0, _windowEnd).CopyTo(larger);
            _window = larger;
        }

        Fill();
        _base = at;
        _json = new Utf8JsonReader(_window.AsSpan(at, _windowEnd - at), _sourceDone, state);
        return true;
    }

    /// <summary>Reads from the stream into the window until it is full or the stream ends.</summary>
    private void Fill()
    {
        while (!_sourceDone && _windowEnd < _window.Length)
        {
            var read = _source!.Read(_window, _windowEnd, _window.Length - _windowEnd);
            if (read == 0)
            {
                _sourceDone = true;
            }

            _windowEnd += read;
        }
    }

    /// <summary>A place to come back to with <see cref="Back"/>; keeps the window's bytes where they are until <see cref="Unpin"/>.</summary>
    private Mark Pin()
    {
        _pins++;
        return new Mark { Reader = _json, Base = _base };
    }

    private void Back(Mark mark)
    {
        _json = mark.Reader;
        _base = mark.Base;
    }

    private void Unpin() => _pins--;

    private void ExpectObject(Site site)
    {
        if (_json.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(site, "expected an object");
        }
    }

    /// <summary>Moves to the value of the current key: true on an array (read its items with <see cref="NextItem"/>), false on null.</summary>
    private bool EnterArray(Site site, string key)
    {
        Read();
        return _json.TokenType switch
        {
            JsonTokenType.StartArray => true,
            JsonTokenType.Null => false,
            _ => throw Fail(site, $"'{key}' must be an array"),
        };
    }

    /// <summary>The current key as a node key, matched on its bytes (length first, then content).</summary>
    private NodeKey CurrentNodeKey()
    {
        if (!_json.ValueIsEscaped)
        {
            return NodeKeyOf(_json.ValueSpan);
        }

        Span<byte> unescaped = stackalloc byte[128];
        return _json.ValueSpan.Length <= unescaped.Length ? NodeKeyOf(unescaped[.._json.CopyString(unescaped)]) : NodeKey.Other;
    }

    private static NodeKey NodeKeyOf(ReadOnlySpan<byte> key) => key.Length switch
    {
        4 when key.SequenceEqual("kind"u8) => NodeKey.Kind,
        4 when key.SequenceEqual("name"u8) => NodeKey.Name,
        4 when key.SequenceEqual("days"u8) => NodeKey.Days,
        4 when key.SequenceEqual("late"u8) => NodeKey.Late,
        4 when key.SequenceEqual("kept"u8) => NodeKey.Kept,
        5 when key.SequenceEqual("times"u8) => NodeKey.Times,
        5 when key.SequenceEqual("dates"u8) => NodeKey.Dates,
        5 when key.SequenceEqual("crons"u8) => NodeKey.Crons,
        5 when key.SequenceEqual("clock"u8) => NodeKey.Clock,
        5 when key.SequenceEqual("begun"u8) => NodeKey.Begun,
        5 when key.SequenceEqual("tryNo"u8) => NodeKey.TryNo,
        6 when key.SequenceEqual("status"u8) => NodeKey.Status,
        6 when key.SequenceEqual("events"u8) => NodeKey.Events,
        6 when key.SequenceEqual("meters"u8) => NodeKey.Meters,
        6 when key.SequenceEqual("labels"u8) => NodeKey.Labels,
        6 when key.SequenceEqual("limits"u8) => NodeKey.Limits,
        6 when key.SequenceEqual("repeat"u8) => NodeKey.Repeat,
        6 when key.SequenceEqual("isLate"u8) => NodeKey.IsLate,
        6 when key.SequenceEqual("script"u8) => NodeKey.Script,
        6 when key.SequenceEqual("taskId"u8) => NodeKey.TaskId,
        7 when key.SequenceEqual("trigger"u8) => NodeKey.Trigger,
        8 when key.SequenceEqual("children"u8) => NodeKey.Children,
        8 when key.SequenceEqual("inlimits"u8) => NodeKey.InLimits,
        8 when key.SequenceEqual("complete"u8) => NodeKey.Complete,
        8 when key.SequenceEqual("endClock"u8) => NodeKey.EndClock,
        8 when key.SequenceEqual("calendar"u8) => NodeKey.Calendar,
        8 when key.SequenceEqual("password"u8) => NodeKey.Password,
        8 when key.SequenceEqual("activeAt"u8) => NodeKey.ActiveAt,
        9 when key.SequenceEqual("suspended"u8) => NodeKey.Suspended,
        9 when key.SequenceEqual("defstatus"u8) => NodeKey.DefStatus,
        10 when key.SequenceEqual("requeuedAt"u8) => NodeKey.RequeuedAt,
        10 when key.SequenceEqual("parameters"u8) => NodeKey.Parameters,
        10 when key.SequenceEqual("finishedAt"u8) => NodeKey.FinishedAt,
        11 when key.SequenceEqual("submittedAt"u8) => NodeKey.SubmittedAt,
        13 when key.SequenceEqual("abortedReason"u8) => NodeKey.AbortedReason,
        17 when key.SequenceEqual("abortedByOperator"u8) => NodeKey.AbortedByOperator,
        _ => NodeKey.Other,
    };

    // ---- Values (each moves from the key to its value) ----

    /// <summary>The current string value, shared with its earlier equals of this read.</summary>
    private string Intern()
    {
        var utf8 = _json.ValueSpan;
        if (utf8.Length > Utf8StringPool.MaxLength)
        {
            return _json.GetString()!;
        }

        if (!_strings.TryGet(utf8, out var value))
        {
            value = _json.GetString()!;
            _strings.Add(utf8, value);
        }

        return value;
    }

    /// <summary>A string value, or null when the value is anything else.</summary>
    private string? ReadStringOrNull()
    {
        Read();
        if (_json.TokenType == JsonTokenType.String)
        {
            return Intern();
        }

        SkipValue();
        return null;
    }

    private string ReadString(Site site, string key)
    {
        Read();
        return _json.TokenType == JsonTokenType.String ? Intern() : throw MustBeString(site, key);
    }

    /// <summary>A string or null; <paramref name="shared"/> false for values unique to their node (no use keeping them for later).</summary>
    private string? ReadOptionalString(Site site, string key, bool shared = true)
    {
        Read();
        return _json.TokenType switch
        {
            JsonTokenType.String => shared ? Intern() : _json.GetString(),
            JsonTokenType.Null => null,
            _ => throw MustBeString(site, key),
        };
    }

    private int ReadInt(Site site, string key)
    {
        Read();
        return _json.TokenType == JsonTokenType.Number && _json.TryGetInt32(out var n) ? n : throw MustBeInteger(site, key);
    }

    private int? ReadOptionalInt(Site site, string key)
    {
        Read();
        if (_json.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        return _json.TokenType == JsonTokenType.Number && _json.TryGetInt32(out var n) ? n : throw MustBeInteger(site, key);
    }

    private long ReadLong(Site site, string key)
    {
        Read();
        return _json.TokenType == JsonTokenType.Number && _json.TryGetInt64(out var n) ? n : throw MustBeInteger(site, key);
    }

    /// <summary>A flag: true, false, or null for false.</summary>
    private bool ReadFlag(Site site, string key)
    {
        Read();
        return _json.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False or JsonTokenType.Null => false,
            _ => throw Fail(site, $"'{key}' must be true or false"),
        };
    }

    private int[] ReadInts(Site site, string key)
    {
        var result = new List<int>();
        for (var more = EnterArray(site, key); more && NextItem();)
        {
            result.Add(_json.TokenType == JsonTokenType.Number && _json.TryGetInt32(out var n) ? n : throw MustBeInteger(site, key));
        }

        return [.. result];
    }

    private long[] ReadLongs(Site site)
    {
        var result = new List<long>();
        for (var more = EnterArray(site, N.Values); more && NextItem();)
        {
            result.Add(_json.TokenType == JsonTokenType.Number && _json.TryGetInt64(out var n) ? n : throw Fail(site, "'values' must hold integers"));
        }

        return [.. result];
    }

    private string[] ReadStrings(Site site, string key)
    {
        var result = new List<string>();
        for (var more = EnterArray(site, key); more && NextItem();)
        {
            result.Add(_json.TokenType == JsonTokenType.String ? Intern() : throw MustBeString(site, key));
        }

        return [.. result];
    }

    /// <summary>A duration ("c" format), or null.</summary>
    private TimeSpan? ReadOptionalSpan(Site site, string key)
    {
        if (!ReadOptionalText(site, key, out _))
        {
            return null;
        }

        Span<char> buffer = stackalloc char[64];
        var length = Decode(buffer);
        ReadOnlySpan<char> chars = length >= 0 ? buffer[..length] : _json.GetString();
        return TimeSpan.TryParseExact(chars, N.TimeSpanFormat, CultureInfo.InvariantCulture, out var span)
            ? span
            : throw Fail(site, $"'{key}' is not a duration: '{chars}'");
    }

    /// <summary>A date and time ("o" format, its kind kept), or null.</summary>
    private DateTime? ReadOptionalInstant(Site site, string key)
    {
        if (!ReadOptionalText(site, key, out _))
        {
            return null;
        }

        Span<char> buffer = stackalloc char[64];
        var length = Decode(buffer);
        ReadOnlySpan<char> chars = length >= 0 ? buffer[..length] : _json.GetString();
        return DateTime.TryParseExact(chars, N.InstantFormat, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)
            ? value
            : throw Fail(site, $"'{key}' is not a date and time: '{chars}'");
    }

    /// <summary>A date and time with offset ("o" format), or null; the same text as the last one is not parsed again.</summary>
    private DateTimeOffset? ReadOptionalOffset(Site site, string key)
    {
        if (!ReadOptionalText(site, key, out var utf8))
        {
            return null;
        }

        if (utf8.Length > 0 && utf8.SequenceEqual(_lastInstantText.AsSpan(0, _lastInstantLength)))
        {
            return _lastInstant;
        }

        Span<char> buffer = stackalloc char[64];
        var length = Decode(buffer);
        ReadOnlySpan<char> chars = length >= 0 ? buffer[..length] : _json.GetString();
        if (!DateTimeOffset.TryParseExact(chars, N.InstantFormat, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value))
        {
            throw Fail(site, $"'{key}' is not a date and time: '{chars}'");
        }

        if (!_json.ValueIsEscaped && utf8.TryCopyTo(_lastInstantText))
        {
            _lastInstantLength = utf8.Length;
            _lastInstant = value;
        }

        return value;
    }

    /// <summary>Moves to a value that must be a string or null; false on null. <paramref name="utf8"/> is its raw text.</summary>
    private bool ReadOptionalText(Site site, string key, out ReadOnlySpan<byte> utf8)
    {
        Read();
        utf8 = default;
        switch (_json.TokenType)
        {
            case JsonTokenType.Null:
                return false;
            case JsonTokenType.String:
                utf8 = _json.ValueSpan;
                return true;
            default:
                throw MustBeString(site, key);
        }
    }

    /// <summary>Copies the current string value into <paramref name="buffer"/> as characters; -1 when it does not fit.</summary>
    private int Decode(scoped Span<char> buffer) => _json.ValueSpan.Length <= buffer.Length ? _json.CopyString(buffer) : -1;

    private static TaklerException Fail(Site site, string what) => SnapshotReader.Fail(site.Where, what);

    private static TaklerException Missing(Site site, string key) => Fail(site, $"'{key}' is missing");

    private static TaklerException MustBeString(Site site, string key) => Fail(site, $"'{key}' must be a string");

    private static TaklerException MustBeInteger(Site site, string key) => Fail(site, $"'{key}' must be an integer");

    /// <summary>Where an error is: a fixed place ("bunch") or a node's path, built only when an error is thrown.</summary>
    /// <summary>A copy of the reader to go back to, and where its span starts in the window.</summary>
    private ref struct Mark
    {
        public Utf8JsonReader Reader;
        public int Base;
    }

    private readonly struct Site(string prefix, string? name)
    {
        public string Where => name is null ? prefix : prefix + "/" + name;

        public static Site Fixed(string where) => new(where, null);
    }

    /// <summary>The keys of a time series, as read so far.</summary>
    private struct SeriesFields
    {
        public TimeSpan? Start;
        public TimeSpan? End;
        public TimeSpan? Increment;
        public bool Relative;

        public readonly TimeSeries ToSeries(Site site) => new(Start ?? throw Missing(site, N.Start), End, Increment, Relative);
    }

    /// <summary>The latch state of a time or cron, as read so far.</summary>
    private struct SlotFields
    {
        public bool Free;
        public int NextSlot;
        public DateTime? LastFired;
        public DateTime? Since;
        public int MissedSlots;
    }
}
