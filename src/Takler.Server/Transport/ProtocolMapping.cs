using Google.Protobuf.WellKnownTypes;
using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Takler.Protocol;
using CoreStatus = Takler.Core.Nodes.NodeStatus;
using TaskNode = Takler.Core.Nodes.Task;
using WireStatus = Takler.Protocol.NodeStatus;

namespace Takler.Server.Transport;

/// <summary>Maps the model onto protocol messages.</summary>
internal static class ProtocolMapping
{
    public static WireStatus ToWire(CoreStatus status) => (WireStatus)status.ToTaklerInt();

    public static NodeKind KindOf(Node node) => node switch
    {
        Flow => NodeKind.Flow,
        TaskNode => NodeKind.Task,
        _ => NodeKind.Family,
    };

    public static Timestamp? ToTimestamp(DateTimeOffset? value) => value is { } v ? Timestamp.FromDateTimeOffset(v) : null;

    public static NodeParameter ToWire(Parameter p)
    {
        var wire = new NodeParameter { Name = p.Name };
        switch (p.Kind)
        {
            case ParameterKind.Integer when long.TryParse(p.Value, System.Globalization.CultureInfo.InvariantCulture, out var i):
                wire.IntValue = i;
                break;
            case ParameterKind.Float when double.TryParse(p.Value, System.Globalization.CultureInfo.InvariantCulture, out var d):
                wire.DoubleValue = d;
                break;
            case ParameterKind.Boolean:
                wire.BoolValue = p.Value == "True";
                break;
            case ParameterKind.Null:
                break;
            default:
                wire.StringValue = p.Value;
                break;
        }

        return wire;
    }

    public static NodeMeter ToWire(Meter m) => new()
    {
        Name = m.Name,
        MinValue = m.Min,
        MaxValue = m.Max,
        Value = m.Value,
        Threshold = m.Threshold ?? 0,
    };

    public static NodeRepeat ToWire(Repeat r)
    {
        var wire = new NodeRepeat { Name = r.Name, Value = r.NumericValue, ValueText = r.ValueText };
        switch (r)
        {
            case RepeatDate d:
                wire.Kind = "RepeatDate";
                wire.Start = d.Start.ToString(System.Globalization.CultureInfo.InvariantCulture);
                wire.End = d.End.ToString(System.Globalization.CultureInfo.InvariantCulture);
                wire.Step = d.Step;
                break;
            case RepeatInteger i:
                wire.Kind = "RepeatInteger";
                wire.Start = i.Start.ToString(System.Globalization.CultureInfo.InvariantCulture);
                wire.End = i.End.ToString(System.Globalization.CultureInfo.InvariantCulture);
                wire.Step = i.Step;
                break;
            case RepeatString s:
                wire.Kind = "RepeatString";
                wire.Items.AddRange(s.Values);
                break;
            case RepeatEnumerated e:
                wire.Kind = "RepeatEnumerated";
                wire.Items.AddRange(e.Values);
                break;
            case RepeatDateList l:
                wire.Kind = "RepeatDateList";
                wire.Items.AddRange(l.Dates.Select(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case RepeatDay day:
                wire.Kind = "RepeatDay";
                wire.Step = day.Step;
                break;
            case RepeatDateTime dt:
                wire.Kind = "RepeatDateTime";
                wire.Start = dt.Start.ToString("yyyyMMdd'T'HHmmss", System.Globalization.CultureInfo.InvariantCulture);
                wire.End = dt.End.ToString("yyyyMMdd'T'HHmmss", System.Globalization.CultureInfo.InvariantCulture);
                wire.Step = (long)dt.Step.TotalSeconds;
                break;
        }

        return wire;
    }

    /// <summary>A node as a tree-query message, with the attribute kinds asked for.</summary>
    public static TreeNode ToTreeNode(Node node, int depth, Func<AttributeKind, bool> wants)
    {
        var wire = new TreeNode
        {
            Name = node.Name,
            Path = node.Path,
            Kind = KindOf(node),
            Status = ToWire(node.Status),
            Suspended = node.Suspended,
            ChildrenCount = node.Children.Count,
            Depth = depth,
            TypeName = node.GetType().Name,
            DefaultStatus = ToWire(node.DefaultStatus.ToStatus()),
        };
        if (node is TaskNode task)
        {
            wire.TryNo = task.TryNo;
            wire.Rid = task.TaskId ?? string.Empty;
            wire.TaskId = task.TaskId ?? string.Empty;
            wire.AbortedReason = task.AbortedReason ?? string.Empty;
        }

        if (node is Flow flow)
        {
            wire.Begun = flow.Begun;
        }

        if (wants(AttributeKind.Parameter))
        {
            foreach (var p in node.Parameters)
            {
                wire.Parameters.Add(ToWire(p));
            }
        }

        if (wants(AttributeKind.GeneratedParameter))
        {
            foreach (var (name, value) in node.GeneratedParameters())
            {
                // A job's password lets its holder send the job's child commands: it stays on the server.
                if (name is not ("TAKLER_PASS" or "ECF_PASS"))
                {
                    wire.GeneratedParameters.Add(new NodeParameter { Name = name, StringValue = value });
                }
            }
        }

        if (wants(AttributeKind.Event))
        {
            foreach (var e in node.Events)
            {
                wire.Events.Add(new NodeEvent { Name = e.Key, InitialValue = e.InitialValue, Value = e.Value });
            }
        }

        if (wants(AttributeKind.Meter))
        {
            foreach (var m in node.Meters)
            {
                wire.Meters.Add(ToWire(m));
            }
        }

        if (wants(AttributeKind.Label))
        {
            foreach (var l in node.Labels)
            {
                wire.Labels.Add(new NodeLabel { Name = l.Name, InitialValue = l.DefaultText, Value = l.Text });
            }
        }

        if (wants(AttributeKind.Limit))
        {
            wire.Limits.AddRange(node.Limits.Select(l =>
            {
                var limit = new NodeLimit { Name = l.Name, Limit = l.Max, Value = l.Value };
                limit.NodePaths.AddRange(l.Holders.Keys);
                return limit;
            }));
        }

        if (wants(AttributeKind.InLimit))
        {
            wire.InLimits.AddRange(node.InLimits.Select(l => new NodeInLimit { LimitName = l.Name, Tokens = l.Tokens, NodePath = l.Path ?? string.Empty }));
        }

        if (wants(AttributeKind.Trigger) && node.Trigger is { } trigger)
        {
            wire.Trigger = new NodeExpression { Expression = trigger.Text, Free = trigger.Free };
        }

        if (wants(AttributeKind.Complete) && node.Complete is { } complete)
        {
            wire.Complete = new NodeExpression { Expression = complete.Text, Free = complete.Free };
        }

        if (wants(AttributeKind.Repeat) && node.Repeat is { } repeat)
        {
            wire.Repeat = ToWire(repeat);
        }

        if (wants(AttributeKind.Time))
        {
            foreach (var t in node.Times)
            {
                wire.Times.Add(new NodeTime { Kind = t.IsToday ? TimeKind.Today : TimeKind.Time, Text = t.Series.ToString(), Free = t.Free });
            }

            foreach (var d in node.Dates)
            {
                wire.Times.Add(new NodeTime { Kind = TimeKind.Date, Text = d.ToString()["date ".Length..], Free = d.Free });
            }

            foreach (var d in node.Days)
            {
                wire.Times.Add(new NodeTime { Kind = TimeKind.Day, Text = d.ToString()["day ".Length..], Free = d.Free });
            }

            foreach (var c in node.Crons)
            {
                wire.Times.Add(new NodeTime { Kind = TimeKind.Cron, Text = c.ToString()["cron ".Length..], Free = c.Free });
            }
        }

        if (wants(AttributeKind.Late) && node.Late is { } late)
        {
            wire.Late = new NodeLate { Text = late.ToString()["late ".Length..], IsLate = node.IsLate };
        }

        return wire;
    }
}
