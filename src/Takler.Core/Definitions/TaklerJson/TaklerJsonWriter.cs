using System.Globalization;
using System.Text;
using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Definitions.TaklerJson;

/// <summary>
/// Writes Takler's JSON (README §2): the show payload <c>json.dumps(bunch.to_dict())</c> byte for byte, and a flow's
/// <c>Flow.to_dict()</c> (the load file). Only what Takler's data model holds is written: labels, dates, days, crons,
/// late, clocks, kept attributes, non-date repeats, relative times and in-limit flags are not part of it.
/// </summary>
public static class TaklerJsonWriter
{
    private const string ServerHostName = "TAKLER_HOST";
    private const string ServerPortName = "TAKLER_PORT";
    private const string ServerHomeName = "TAKLER_HOME";

    /// <summary>The show payload: one line, Python's separators, ASCII only, no trailing new line.</summary>
    public static string WriteBunch(Bunch bunch)
    {
        var sb = new StringBuilder(4096);
        WriteBunch(bunch, new PythonJsonWriter(sb));
        return sb.ToString();
    }

    /// <summary>
    /// A flow's <c>Flow.to_dict()</c>, as <c>json.dumps(d, indent=indent)</c> writes it. The default value of
    /// <paramref name="indent"/> is 2 (a load file); null gives the compact one-line form used inside the show payload.
    /// </summary>
    public static string WriteFlow(Flow flow, int? indent = 2)
    {
        if (indent < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(indent), indent, "indent must not be negative");
        }

        var sb = new StringBuilder(1024);
        WriteNode(flow, new PythonJsonWriter(sb, indent));
        return sb.ToString();
    }

    private static void WriteBunch(Bunch bunch, PythonJsonWriter w)
    {
        w.StartObject();
        w.Property("name", string.Empty);
        WriteState(w, NodeStatus.Unknown, suspended: false);
        WriteClassType(w, TaklerNodeKind.Bunch);
        w.PropertyName("flows");
        w.StartArray();
        foreach (var flow in bunch.Flows)
        {
            WriteNode(flow, w);
        }

        w.EndArray();
        WriteServerState(bunch, w);
        w.EndObject();
    }

    private static void WriteServerState(Bunch bunch, PythonJsonWriter w)
    {
        var port = bunch.Port.ToString(CultureInfo.InvariantCulture);
        w.PropertyName("server_state");
        w.StartObject();
        w.PropertyName("parameters");
        w.StartArray();
        WriteParameter(w, bunch.ServerParameters.FirstOrDefault(p => p.Name == ServerHostName) ?? Parameter.Text(ServerHostName, bunch.Host));
        WriteParameter(w, bunch.ServerParameters.FirstOrDefault(p => p.Name == ServerPortName) ?? Parameter.Text(ServerPortName, port));
        WriteParameter(w, bunch.ServerParameters.FirstOrDefault(p => p.Name == ServerHomeName) ?? Parameter.Text(ServerHomeName, bunch.Home));
        foreach (var p in bunch.ServerParameters)
        {
            if (p.Name is not (ServerHostName or ServerPortName or ServerHomeName))
            {
                WriteParameter(w, p);
            }
        }

        w.EndArray();
        w.Property("host", bunch.Host);
        w.Property("port", port);
        w.EndObject();
    }

    private static void WriteNode(Node node, PythonJsonWriter w)
    {
        w.StartObject();
        w.Property("name", node.Name);
        WriteState(w, node.Status, node.Suspended);
        WriteClassType(w, node switch
        {
            Flow => TaklerNodeKind.Flow,
            ShellScriptTask => TaklerNodeKind.ShellScriptTask,
            Task => TaklerNodeKind.Task,
            _ => TaklerNodeKind.Container,
        });

        if (DefaultStatusInt(node.DefaultStatus) is { } defaultStatus)
        {
            w.Property("default_node_status", defaultStatus);
        }

        if (node.Children.Count > 0)
        {
            w.PropertyName("children");
            w.StartArray();
            foreach (var child in node.Children)
            {
                WriteNode(child, w);
            }

            w.EndArray();
        }

        WriteAttributes(node, w);
        switch (node)
        {
            case Flow flow:
                w.Property("begun", flow.Begun);
                WriteCalendar(flow.Calendar, w);
                break;
            case Task task:
                w.Property("task_id", task.TaskId);
                w.Property("aborted_reason", task.AbortedReason);
                w.Property("try_no", task.TryNo);
                if (task is ShellScriptTask shell)
                {
                    w.Property("script_path", shell.ScriptPath);
                }

                break;
        }

        w.EndObject();
    }

    private static void WriteAttributes(Node node, PythonJsonWriter w)
    {
        if (node.Parameters.Count > 0)
        {
            w.PropertyName("user_parameters");
            w.StartArray();
            foreach (var p in node.Parameters)
            {
                WriteParameter(w, p);
            }

            w.EndArray();
        }

        if (node.Trigger is { } trigger)
        {
            w.Property("trigger", trigger.Text);
        }

        if (node.Complete is { } complete)
        {
            w.Property("complete_trigger", complete.Text);
            if (complete.Free)
            {
                w.Property("is_complete_triggered", true);
            }
        }

        if (node.Events.Count > 0)
        {
            w.PropertyName("events");
            w.StartArray();
            foreach (var e in node.Events)
            {
                w.StartObject();
                w.Property("name", e.Key);
                w.Property("initial_value", e.InitialValue);
                w.Property("value", e.Value);
                w.EndObject();
            }

            w.EndArray();
        }

        if (node.Meters.Count > 0)
        {
            w.PropertyName("meters");
            w.StartArray();
            foreach (var m in node.Meters)
            {
                w.StartObject();
                w.Property("name", m.Name);
                w.Property("min_value", m.Min);
                w.Property("max_value", m.Max);
                w.Property("value", m.Value);
                w.EndObject();
            }

            w.EndArray();
        }

        if (node.Limits.Count > 0)
        {
            w.PropertyName("limits");
            w.StartArray();
            foreach (var limit in node.Limits)
            {
                w.StartObject();
                w.Property("name", limit.Name);
                w.Property("limit", limit.Max);
                w.PropertyName("node_paths");
                w.StartArray();
                foreach (var path in limit.Holders.Keys)
                {
                    w.String(path);
                }

                w.EndArray();
                w.Property("value", limit.Value);
                w.EndObject();
            }

            w.EndArray();
        }

        if (node.InLimits.Count > 0)
        {
            w.PropertyName("in_limit_manager");
            w.StartObject();
            w.PropertyName("in_limit_list");
            w.StartArray();
            foreach (var il in node.InLimits)
            {
                w.StartObject();
                w.Property("limit_name", il.Name);
                w.Property("tokens", il.Tokens);
                w.Property("node_path", il.Path);
                w.EndObject();
            }

            w.EndArray();
            w.EndObject();
        }

        if (node.Repeat is RepeatDate repeat)
        {
            w.PropertyName("repeat");
            w.StartObject();
            w.PropertyName("r");
            w.StartObject();
            w.Property("name", repeat.Name);
            w.Property("start_date", DateText(repeat.StartDate));
            w.Property("end_date", DateText(repeat.EndDate));
            w.Property("step", repeat.Step);
            w.Property("value", repeat.NumericValue);
            w.Property("class_type", "RepeatDate");
            w.EndObject();
            w.EndObject();
        }

        var times = node.Times.Where(t => !t.Series.Relative).ToList();
        if (times.Count > 0)
        {
            w.PropertyName("times");
            w.StartArray();
            foreach (var t in times)
            {
                w.StartObject();
                w.Property("time", TimeSeries.Format(t.Series.Start));
                w.Property("free", t.Free);
                w.EndObject();
            }

            w.EndArray();
        }
    }

    private static void WriteParameter(PythonJsonWriter w, Parameter p)
    {
        w.StartObject();
        w.Property("name", p.Name);
        w.PropertyName("value");
        switch (p.Kind)
        {
            case ParameterKind.Integer when PythonFormat.IsIntegerText(p.Value):
                w.RawNumber(PythonFormat.IntegerText(p.Value));
                break;
            case ParameterKind.Float when PythonFormat.TryFloatJson(p.Value, out var json):
                w.RawNumber(json);
                break;
            case ParameterKind.Boolean:
                w.Boolean(p.Value == "True");
                break;
            case ParameterKind.Null:
                w.Null();
                break;
            default:
                w.String(p.Value);
                break;
        }

        w.EndObject();
    }

    private static void WriteState(PythonJsonWriter w, NodeStatus status, bool suspended)
    {
        w.PropertyName("state");
        w.StartObject();
        w.Property("status", status.ToTaklerInt());
        w.Property("suspended", suspended);
        w.EndObject();
    }

    private static void WriteClassType(PythonJsonWriter w, TaklerNodeKind kind)
    {
        var (module, name) = TaklerClassTypes.Of(kind);
        w.PropertyName("class_type");
        w.StartObject();
        w.Property("module", module);
        w.Property("name", name);
        w.EndObject();
    }

    private static void WriteCalendar(FlowCalendar calendar, PythonJsonWriter w)
    {
        w.PropertyName("calendar");
        w.StartObject();
        WriteDateTime(w, "initial_time", calendar.InitialTime);
        WriteDateTime(w, "flow_time", calendar.FlowTime);
        WriteSeconds(w, "duration", calendar.Duration);
        WriteSeconds(w, "increment", calendar.Increment);
        WriteDateTime(w, "initial_real_time", calendar.InitialRealTime);
        WriteDateTime(w, "last_real_time", calendar.LastRealTime);
        w.EndObject();
    }

    private static void WriteDateTime(PythonJsonWriter w, string name, DateTime? value) =>
        w.Property(name, value is { } v ? PythonFormat.IsoFormat(v) : null);

    private static void WriteSeconds(PythonJsonWriter w, string name, TimeSpan? value)
    {
        w.PropertyName(name);
        if (value is { } v)
        {
            w.RawNumber(PythonFormat.TotalSeconds(v));
        }
        else
        {
            w.Null();
        }
    }

    /// <summary>Takler's NodeStatus int of a default status; null for queued (not written) and ecFlow's suspended.</summary>
    internal static int? DefaultStatusInt(DefaultStatus value) => value switch
    {
        DefaultStatus.Unknown => 1,
        DefaultStatus.Complete => 2,
        DefaultStatus.Submitted => 4,
        DefaultStatus.Active => 5,
        DefaultStatus.Aborted => 6,
        _ => null,
    };

    private static string DateText(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
