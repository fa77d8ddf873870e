using System.Globalization;
using System.Text;
using System.Text.Json;
using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Definitions.TaklerJson;

/// <summary>
/// Reads Takler's JSON (README §2): a flow (<c>Flow.to_dict()</c>, a load file) or a bunch (the show payload).
/// Reading always builds a new tree and never touches an existing one, so a failed read changes nothing.
/// Errors are those Takler reports: invalid JSON is <see cref="TaklerErrorCode.InvalidRequest"/>
/// (<c>flow definition is not valid json: ...</c>); a missing key, an unknown class_type or a value of the wrong
/// type is <see cref="TaklerErrorCode.InternalError"/> with Python's text (<c>KeyError: 'task_id'</c>).
/// </summary>
public static class TaklerJsonReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 1000 };

    /// <summary>Reads one flow from JSON text.</summary>
    public static Flow ReadFlow(string json, TaklerJsonReadMode mode)
    {
        using var document = Parse(json, "flow definition");
        return ReadFlow(document.RootElement, mode);
    }

    /// <summary>Reads one flow from UTF-8 JSON (a <c>LoadCommand.flow</c>); a UTF-8 byte order mark is skipped.</summary>
    public static Flow ReadFlow(ReadOnlyMemory<byte> utf8Json, TaklerJsonReadMode mode)
    {
        using var document = Parse(utf8Json, "flow definition");
        return ReadFlow(document.RootElement, mode);
    }

    /// <summary>Reads one flow from a parsed JSON value.</summary>
    public static Flow ReadFlow(JsonElement element, TaklerJsonReadMode mode)
    {
        var reader = new Reader(mode);
        var flow = (Flow)reader.ReadNode(element, asFlow: true);
        reader.RestoreLimitUsage(path => NodePaths.IsAbsolute(path) ? flow.Resolve(path) : null);
        return flow;
    }

    /// <summary>Reads the show payload (a bunch with its flows and server state) from JSON text.</summary>
    public static Bunch ReadBunch(string json, TaklerJsonReadMode mode = TaklerJsonReadMode.Status)
    {
        using var document = Parse(json, "bunch");
        return ReadBunch(document.RootElement, mode);
    }

    /// <summary>Reads the show payload from UTF-8 JSON.</summary>
    public static Bunch ReadBunch(ReadOnlyMemory<byte> utf8Json, TaklerJsonReadMode mode = TaklerJsonReadMode.Status)
    {
        using var document = Parse(utf8Json, "bunch");
        return ReadBunch(document.RootElement, mode);
    }

    /// <summary>
    /// Reads a bunch from a parsed JSON value (the show payload, or a checkpoint's <c>bunch</c>). The default mode is
    /// <see cref="TaklerJsonReadMode.Status"/>, the one Takler's <c>Bunch.from_dict</c> uses.
    /// </summary>
    public static Bunch ReadBunch(JsonElement element, TaklerJsonReadMode mode = TaklerJsonReadMode.Status)
    {
        var reader = new Reader(mode);
        Reader.RequireObject(element);
        var kind = Reader.ReadClassType(element);
        if (kind != TaklerNodeKind.Bunch)
        {
            throw new TaklerException(TaklerErrorCode.NodeType, $"node must be Bunch: {TaklerClassTypes.Of(kind).Name}");
        }

        Reader.Str(Reader.Key(element, "name"), "name");
        var flows = new List<Flow>();
        foreach (var item in Reader.Items(Reader.Key(element, "flows"), "flows"))
        {
            flows.Add((Flow)reader.ReadNode(item, asFlow: true));
        }

        var bunch = ReadServerState(Reader.Key(element, "server_state"));
        foreach (var flow in flows)
        {
            bunch.AddFlow(flow, replace: true);
        }

        reader.RestoreLimitUsage(path => NodePaths.IsAbsolute(path) ? NodePaths.ResolveAbsolute(bunch, path) : null);
        return bunch;
    }

    private static Bunch ReadServerState(JsonElement state)
    {
        Reader.RequireObject(state);
        var parameters = new List<Parameter>();
        foreach (var item in Reader.Items(Reader.Key(state, "parameters"), "parameters"))
        {
            parameters.Add(Reader.ReadParameter(item));
        }

        var host = ValidatedString(Reader.Key(state, "host"), "host") ?? "localhost";
        var portText = ValidatedString(Reader.Key(state, "port"), "port") ?? "33083";
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"server port is not a number: '{portText}'");
        }

        var bunch = new Bunch(host, port);
        foreach (var p in parameters)
        {
            var standard = p.Kind == ParameterKind.String && p.Name switch
            {
                "TAKLER_HOST" => p.Value == host,
                "TAKLER_PORT" => p.Value == portText,
                "TAKLER_HOME" => true,
                _ => false,
            };
            if (!standard)
            {
                bunch.AddServerParameter(p);
            }
            else if (p.Name == "TAKLER_HOME")
            {
                bunch.Home = p.Value;
            }
        }

        return bunch;
    }

    /// <summary>A pydantic <c>Optional[str]</c> field of ServerState.</summary>
    private static string? ValidatedString(JsonElement value, string field)
    {
        if (value.ValueKind is JsonValueKind.String or JsonValueKind.Null)
        {
            return value.ValueKind == JsonValueKind.Null ? null : value.GetString();
        }

        throw PythonErrors.Internal(
            "ValidationError",
            $"1 validation error for ServerState\n{field}\n  Input should be a valid string [type=string_type, input_value={PythonErrors.Repr(value)}, input_type={PythonErrors.TypeName(value)}]\n    For further information visit https://errors.pydantic.dev/2.13/v/string_type");
    }

    private static JsonDocument Parse(string json, string what)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw NotValidJson(json, what, e);
        }
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> utf8Json, string what)
    {
        // Python's json.loads(bytes) detects and drops a UTF-8 byte order mark.
        if (utf8Json.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8Json = utf8Json[3..];
        }

        try
        {
            return JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw NotValidJson(Encoding.UTF8.GetString(utf8Json.Span), what, e);
        }
    }

    private static TaklerException NotValidJson(string text, string what, JsonException e) =>
        new(TaklerErrorCode.InvalidRequest, $"{what} is not valid json: {PythonJsonErrors.Describe(text) ?? e.Message}", e);

    /// <summary>One read: the mode, and the limit usage to restore once the whole tree exists.</summary>
    private sealed class Reader
    {
        private readonly bool _status;
        private readonly List<(Limit Limit, List<string> Paths, int Value)> _usages = [];

        public Reader(TaklerJsonReadMode mode)
        {
            _status = mode == TaklerJsonReadMode.Status;
        }

        public Node ReadNode(JsonElement d, bool asFlow)
        {
            RequireObject(d);
            var keys = new NodeKeys(d);
            var kind = ReadClassType(d, keys.ClassType);
            var name = Str(Present(keys.Name, "name"), "name");
            Node node = (kind, asFlow) switch
            {
                (TaklerNodeKind.Flow, true) => new Flow(name),
                (TaklerNodeKind.Container, false) => new Family(name),
                (TaklerNodeKind.Task, false) => new Task(name),
                (TaklerNodeKind.ShellScriptTask, false) => new ShellScriptTask(name),
                (_, true) => throw new TaklerException(TaklerErrorCode.NodeType, $"node must be Flow: {name}"),
                _ => throw new TaklerException(TaklerErrorCode.NodeType, $"node must be NodeContainer or Task: {name}"),
            };

            if (_status)
            {
                var state = Present(keys.State, "state");
                RequireObject(state);
                node.RestoreStatus(ReadStatus(Key(state, "status")));
                node.Suspended = Bool(Key(state, "suspended"), "suspended");
            }

            if (keys.DefaultNodeStatus.ValueKind != JsonValueKind.Undefined)
            {
                node.DefaultStatus = ReadStatus(keys.DefaultNodeStatus) switch
                {
                    NodeStatus.Unknown => DefaultStatus.Unknown,
                    NodeStatus.Complete => DefaultStatus.Complete,
                    NodeStatus.Submitted => DefaultStatus.Submitted,
                    NodeStatus.Active => DefaultStatus.Active,
                    NodeStatus.Aborted => DefaultStatus.Aborted,
                    _ => DefaultStatus.Queued,
                };
            }

            ReadAttributes(node, keys);
            ReadChildren(node, keys.Children);
            if (node is Task task)
            {
                var taskId = NullableStr(Present(keys.TaskId, "task_id"), "task_id");
                var reason = NullableStr(Present(keys.AbortedReason, "aborted_reason"), "aborted_reason");
                var tryNo = Int(Present(keys.TryNo, "try_no"), "try_no");
                task.RestoreRuntime(taskId, reason, tryNo, password: null);
                if (task is ShellScriptTask shell && keys.ScriptPath.ValueKind != JsonValueKind.Undefined)
                {
                    shell.ScriptPath = NullableStr(keys.ScriptPath, "script_path");
                }
            }
            else if (node is Flow flow && _status)
            {
                if (keys.Begun.ValueKind != JsonValueKind.Undefined)
                {
                    flow.Begun = Bool(keys.Begun, "begun");
                }

                if (keys.Calendar.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
                {
                    ReadCalendar(keys.Calendar, flow.Calendar);
                }
            }

            return node;
        }

        /// <summary>Sets the limits' holders and values, then lets each holding task find its limits again.</summary>
        public void RestoreLimitUsage(Func<string, Node?> resolve)
        {
            var holders = new HashSet<Task>();
            foreach (var (limit, paths, value) in _usages)
            {
                var usage = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var path in paths)
                {
                    var tokens = 1;
                    if (resolve(path) is Task task)
                    {
                        holders.Add(task);
                        foreach (var (inLimit, declarer) in task.ApplicableInLimits())
                        {
                            if (ReferenceEquals(task.FindLimitFor(inLimit, declarer), limit))
                            {
                                tokens = inLimit.Tokens;
                                break;
                            }
                        }
                    }

                    usage[path] = tokens;
                }

                limit.RestoreUsage(usage, value);
            }

            foreach (var task in holders)
            {
                task.RelinkHeldLimits();
            }
        }

        private void ReadAttributes(Node node, NodeKeys keys)
        {
            if (keys.UserParameters.ValueKind != JsonValueKind.Undefined)
            {
                foreach (var item in Items(keys.UserParameters, "user_parameters"))
                {
                    node.AddParameter(ReadParameter(item));
                }
            }

            if (keys.Trigger.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            {
                node.AddTrigger(Str(keys.Trigger, "trigger"));
            }

            if (keys.CompleteTrigger.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            {
                node.AddComplete(Str(keys.CompleteTrigger, "complete_trigger"));
            }

            if (_status && keys.IsCompleteTriggered.ValueKind != JsonValueKind.Undefined &&
                Bool(keys.IsCompleteTriggered, "is_complete_triggered") && node.Complete is { } complete)
            {
                complete.Free = true;
            }

            if (keys.Events.ValueKind != JsonValueKind.Undefined)
            {
                foreach (var item in Items(keys.Events, "events"))
                {
                    RequireObject(item);
                    var e = new Event(Str(Key(item, "name"), "name"), Bool(Key(item, "initial_value"), "initial_value"));
                    if (_status)
                    {
                        e.Value = Bool(Key(item, "value"), "value");
                    }

                    node.AddEvent(e);
                }
            }

            if (keys.Meters.ValueKind != JsonValueKind.Undefined)
            {
                foreach (var item in Items(keys.Meters, "meters"))
                {
                    node.AddMeter(ReadMeter(item));
                }
            }

            if (keys.Limits.ValueKind != JsonValueKind.Undefined)
            {
                foreach (var item in Items(keys.Limits, "limits"))
                {
                    RequireObject(item);
                    var limit = new Limit(Str(Key(item, "name"), "name"), Int(Key(item, "limit"), "limit"));
                    if (_status)
                    {
                        var value = Int(Key(item, "value"), "value");
                        var paths = Items(Key(item, "node_paths"), "node_paths").Select(p => Str(p, "node_paths")).ToList();
                        _usages.Add((limit, paths, value));
                    }

                    node.AddLimit(limit);
                }
            }

            if (keys.InLimitManager.ValueKind != JsonValueKind.Undefined)
            {
                RequireObject(keys.InLimitManager);
                foreach (var item in Items(Key(keys.InLimitManager, "in_limit_list"), "in_limit_list"))
                {
                    RequireObject(item);
                    var limitName = Str(Key(item, "limit_name"), "limit_name");
                    var tokens = Int(Key(item, "tokens"), "tokens");
                    var path = NullableStr(Key(item, "node_path"), "node_path");
                    node.AddInLimit(new InLimit(limitName, path, tokens));
                }
            }

            if (keys.Repeat.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            {
                node.AddRepeat(ReadRepeat(keys.Repeat));
            }

            if (keys.Times.ValueKind != JsonValueKind.Undefined)
            {
                foreach (var item in Items(keys.Times, "times"))
                {
                    RequireObject(item);
                    var time = new TimeAttribute(new TimeSeries(TimeSeries.ParseClock(Str(Key(item, "time"), "time"))));
                    if (_status)
                    {
                        time.Free = Bool(Key(item, "free"), "free");
                    }

                    node.AddTime(time);
                }
            }
        }

        private Meter ReadMeter(JsonElement item)
        {
            RequireObject(item);
            var meter = new Meter(
                Str(Key(item, "name"), "name"),
                Int(Key(item, "min_value"), "min_value"),
                Int(Key(item, "max_value"), "max_value"));
            if (_status)
            {
                var value = Int(Key(item, "value"), "value");
                try
                {
                    meter.SetValue(value);
                }
                catch (TaklerException e)
                {
                    // Takler's Meter rejects such a value with a ValueError.
                    throw PythonErrors.Internal("ValueError", e.Message);
                }
            }

            return meter;
        }

        private RepeatDate ReadRepeat(JsonElement repeat)
        {
            RequireObject(repeat);
            var r = Key(repeat, "r");
            RequireObject(r);
            var classType = Key(r, "class_type");
            if (classType.ValueKind != JsonValueKind.String || classType.GetString() != "RepeatDate")
            {
                throw PythonErrors.Internal("KeyError", PythonErrors.Repr(classType));
            }

            var name = Str(Key(r, "name"), "name");
            var start = DateNumber(Key(r, "start_date"));
            var end = DateNumber(Key(r, "end_date"));
            var step = Int(Key(r, "step"), "step");
            var result = new RepeatDate(name, start, end, step);
            if (_status)
            {
                result.SetDate(DateNumber(Key(r, "value")));
            }

            return result;
        }

        private void ReadChildren(Node node, JsonElement children)
        {
            if (children.ValueKind == JsonValueKind.Undefined)
            {
                return;
            }

            foreach (var item in Items(children, "children"))
            {
                var child = ReadNode(item, asFlow: false);
                if (node is not NodeContainer container)
                {
                    throw new TaklerException(TaklerErrorCode.NodeType, $"node must be NodeContainer to have children: {node.Path}");
                }

                container.AddChild(child);
            }
        }

        private static void ReadCalendar(JsonElement d, FlowCalendar calendar)
        {
            RequireObject(d);
            calendar.InitialTime = DateTimeValue(d, "initial_time");
            calendar.FlowTime = DateTimeValue(d, "flow_time");
            calendar.Duration = Seconds(d, "duration");
            calendar.Increment = Seconds(d, "increment");
            calendar.InitialRealTime = DateTimeValue(d, "initial_real_time");
            calendar.LastRealTime = DateTimeValue(d, "last_real_time");
        }

        private static DateTime? DateTimeValue(JsonElement d, string key)
        {
            var value = Get(d, key);
            if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                return null;
            }

            var text = Str(value, key);
            return PythonFormat.TryParseIso(text, out var result)
                ? result
                : throw PythonErrors.Internal("ValueError", $"Invalid isoformat string: {PythonFormat.StrRepr(text)}");
        }

        private static TimeSpan? Seconds(JsonElement d, string key)
        {
            var value = Get(d, key);
            if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.Number && PythonFormat.TryParseSeconds(value.GetRawText(), out var span)
                ? span
                : throw PythonErrors.WrongType(key, "float", value);
        }

        /// <summary>A YYYYMMDD date given as a string or an int, as <c>strptime(str(x), "%Y%m%d")</c> takes it.</summary>
        private static long DateNumber(JsonElement value)
        {
            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Number => value.GetRawText(),
                _ => PythonErrors.Repr(value),
            };
            if (text.Length == 8 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) &&
                DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                return number;
            }

            throw PythonErrors.Internal("ValueError", $"time data {PythonFormat.StrRepr(text)} does not match format '%Y%m%d'");
        }

        public static Parameter ReadParameter(JsonElement item)
        {
            RequireObject(item);
            var name = Str(Key(item, "name"), "name");
            var value = Key(item, "value");
            return value.ValueKind switch
            {
                JsonValueKind.String => Parameter.Text(name, value.GetString()!),
                JsonValueKind.True => Parameter.Boolean(name, true),
                JsonValueKind.False => Parameter.Boolean(name, false),
                JsonValueKind.Null => Parameter.Null(name),
                JsonValueKind.Number when PythonErrors.IsIntegerLiteral(value) =>
                    new Parameter(name, PythonFormat.IntegerText(value.GetRawText()), ParameterKind.Integer),
                JsonValueKind.Number => Parameter.Float(name, PythonFormat.FloatStr(value.GetDouble())),
                _ => throw PythonErrors.WrongType("value", "str, int, float, bool or None", value),
            };
        }

        public static TaklerNodeKind ReadClassType(JsonElement d, JsonElement classType = default)
        {
            if (classType.ValueKind == JsonValueKind.Undefined)
            {
                classType = Key(d, "class_type");
            }

            RequireObject(classType);
            var module = Str(Key(classType, "module"), "module");
            var name = Str(Key(classType, "name"), "name");
            return TaklerClassTypes.Resolve(module, name);
        }

        private static NodeStatus ReadStatus(JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) &&
                PythonErrors.IsIntegerLiteral(value) && NodeStatuses.TryFromTaklerInt(n, out var status))
            {
                return status;
            }

            throw PythonErrors.Internal("ValueError", $"{PythonErrors.Repr(value)} is not a valid NodeStatus");
        }

        public static void RequireObject(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw PythonErrors.NotSubscriptable(value);
            }
        }

        /// <summary><c>d[key]</c>: the value, or Python's KeyError.</summary>
        public static JsonElement Key(JsonElement d, string key)
        {
            RequireObject(d);
            var value = Get(d, key);
            return value.ValueKind == JsonValueKind.Undefined ? throw PythonErrors.KeyError(key) : value;
        }

        /// <summary>A value already looked up: Undefined means the key was missing.</summary>
        private static JsonElement Present(JsonElement value, string key) =>
            value.ValueKind == JsonValueKind.Undefined ? throw PythonErrors.KeyError(key) : value;

        /// <summary>The value of <paramref name="key"/>, the last one when repeated (as Python's dict keeps it); Undefined when absent.</summary>
        private static JsonElement Get(JsonElement d, string key)
        {
            var result = default(JsonElement);
            foreach (var p in d.EnumerateObject())
            {
                if (p.NameEquals(key))
                {
                    result = p.Value;
                }
            }

            return result;
        }

        /// <summary>The items of a list, or the error iterating something else raises in Python.</summary>
        public static IEnumerable<JsonElement> Items(JsonElement value, string key)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Array:
                    return value.EnumerateArray();
                case JsonValueKind.Object when !value.EnumerateObject().Any():
                case JsonValueKind.String when value.GetString()!.Length == 0:
                    return [];
                case JsonValueKind.Object:
                case JsonValueKind.String:
                    // Iterating gives strings, and indexing a string by a key fails.
                    throw PythonErrors.Internal("TypeError", "string indices must be integers, not 'str'");
                default:
                    throw PythonErrors.Internal("TypeError", $"'{PythonErrors.TypeName(value)}' object is not iterable");
            }
        }

        public static string Str(JsonElement value, string key) =>
            value.ValueKind == JsonValueKind.String ? value.GetString()! : throw PythonErrors.WrongType(key, "str", value);

        private static string? NullableStr(JsonElement value, string key) =>
            value.ValueKind == JsonValueKind.Null ? null : Str(value, key);

        private static int Int(JsonElement value, string key) =>
            value.ValueKind == JsonValueKind.Number && PythonErrors.IsIntegerLiteral(value) && value.TryGetInt32(out var n)
                ? n
                : throw PythonErrors.WrongType(key, "int", value);

        private static bool Bool(JsonElement value, string key) => value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw PythonErrors.WrongType(key, "bool", value),
        };
    }

    /// <summary>The keys of one node object, found in a single pass; Undefined when absent.</summary>
    private readonly struct NodeKeys
    {
        public NodeKeys(JsonElement d)
        {
            foreach (var p in d.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "name": Name = p.Value; break;
                    case "state": State = p.Value; break;
                    case "class_type": ClassType = p.Value; break;
                    case "default_node_status": DefaultNodeStatus = p.Value; break;
                    case "children": Children = p.Value; break;
                    case "user_parameters": UserParameters = p.Value; break;
                    case "trigger": Trigger = p.Value; break;
                    case "complete_trigger": CompleteTrigger = p.Value; break;
                    case "is_complete_triggered": IsCompleteTriggered = p.Value; break;
                    case "events": Events = p.Value; break;
                    case "meters": Meters = p.Value; break;
                    case "limits": Limits = p.Value; break;
                    case "in_limit_manager": InLimitManager = p.Value; break;
                    case "repeat": Repeat = p.Value; break;
                    case "times": Times = p.Value; break;
                    case "task_id": TaskId = p.Value; break;
                    case "aborted_reason": AbortedReason = p.Value; break;
                    case "try_no": TryNo = p.Value; break;
                    case "script_path": ScriptPath = p.Value; break;
                    case "begun": Begun = p.Value; break;
                    case "calendar": Calendar = p.Value; break;
                }
            }
        }

        public JsonElement Name { get; }

        public JsonElement State { get; }

        public JsonElement ClassType { get; }

        public JsonElement DefaultNodeStatus { get; }

        public JsonElement Children { get; }

        public JsonElement UserParameters { get; }

        public JsonElement Trigger { get; }

        public JsonElement CompleteTrigger { get; }

        public JsonElement IsCompleteTriggered { get; }

        public JsonElement Events { get; }

        public JsonElement Meters { get; }

        public JsonElement Limits { get; }

        public JsonElement InLimitManager { get; }

        public JsonElement Repeat { get; }

        public JsonElement Times { get; }

        public JsonElement TaskId { get; }

        public JsonElement AbortedReason { get; }

        public JsonElement TryNo { get; }

        public JsonElement ScriptPath { get; }

        public JsonElement Begun { get; }

        public JsonElement Calendar { get; }
    }
}
