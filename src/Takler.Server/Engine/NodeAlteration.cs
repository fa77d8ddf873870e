using System.Globalization;
using Takler.Core;
using Takler.Core.Attributes;
using Takler.Core.Definitions;
using Takler.Core.Expressions;
using Takler.Core.Nodes;
using Takler.Protocol;

namespace Takler.Server.Engine;

/// <summary>
/// `alter`: add, change or delete one attribute on nodes, with ecFlow's alter semantics where they fit. Every node is
/// checked before the first is changed, so a bad request changes nothing. New attributes are written as ecFlow `.def`
/// lines (<c>meter m 0 100</c>, <c>time 10:00</c>, ...) and read by the `.def` reader, so they accept what a suite
/// definition accepts.
/// </summary>
internal static class NodeAlteration
{
    /// <summary>Checks the request for every node, then applies it to all of them; tells the engine the definition changed.</summary>
    public static void Apply(EngineContext context, IReadOnlyList<Node> nodes, AlterAction action, AttributeKind kind, string name, string value)
    {
        if (nodes.Count == 0)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, "alter: no node path given");
        }

        if (name.AsSpan().ContainsAny('\n', '\r') || value.AsSpan().ContainsAny('\n', '\r'))
        {
            throw Invalid("a name or value must be a single line");
        }

        var changes = new List<Action>(nodes.Count);
        foreach (var node in nodes)
        {
            changes.Add(Prepare(node, action, kind, name.Trim(), value));
        }

        foreach (var change in changes)
        {
            change();
        }

        // Bindings and the scheduler's dependents index hold direct references to attributes: rebuild them.
        foreach (var node in nodes)
        {
            context.Bunch.Observer?.TreeChanged(node.Parent);
            node.Bunch?.Observer?.AttributeChanged(node);
        }

        context.DefinitionChanged();
    }

    private static Action Prepare(Node node, AlterAction action, AttributeKind kind, string name, string value) => action switch
    {
        AlterAction.Add => PrepareAdd(node, kind, name, value),
        AlterAction.Change => PrepareChange(node, kind, name, value),
        AlterAction.Delete => PrepareDelete(node, kind, name, value),
        _ => throw Invalid($"unknown action {(int)action} (add, change or delete)"),
    };

    private static Action PrepareAdd(Node node, AttributeKind kind, string name, string value)
    {
        switch (kind)
        {
            case AttributeKind.Parameter:
                RequireName(kind, name);
                if (node.FindOwnParameter(name) is not null)
                {
                    throw Invalid($"{node.Path} already has parameter {name} (use change)");
                }

                var parameter = Parameter.Text(name, value);
                ValidateParameterName(node, name);
                return () => node.AddParameter(parameter);
            case AttributeKind.Trigger:
            case AttributeKind.Complete:
                if ((kind == AttributeKind.Trigger ? node.Trigger : node.Complete) is not null)
                {
                    throw Invalid($"{node.Path} already has a {KindName(kind)} (use change)");
                }

                CheckExpression(node, kind, value);
                return () => SetExpression(node, kind, value);
            default:
                var parsed = ParseAttribute(kind, name, value);
                return AddParsed(node, kind, parsed);
        }
    }

    private static Action PrepareChange(Node node, AttributeKind kind, string name, string value)
    {
        switch (kind)
        {
            case AttributeKind.Parameter:
            {
                RequireName(kind, name);
                var old = node.FindOwnParameter(name) ?? throw NotFound(node, kind, name);
                var parameter = old.Kind switch
                {
                    ParameterKind.Integer when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => Parameter.Integer(name, n),
                    ParameterKind.Boolean when bool.TryParse(value, out var b) => Parameter.Boolean(name, b),
                    _ => Parameter.Text(name, value),
                };
                return () => node.AddParameter(parameter);
            }

            case AttributeKind.Event:
            {
                var ev = node.FindEvent(name) ?? throw NotFound(node, kind, name);
                var set = value.Trim() switch
                {
                    "" or "set" or "1" => true,
                    "clear" or "0" => false,
                    _ => throw Invalid($"event {name}: value must be set or clear, not '{value}'"),
                };
                return () => ev.Value = set;
            }

            case AttributeKind.Meter:
            {
                var meter = node.FindMeter(name) ?? throw NotFound(node, kind, name);
                var number = ParseInt(kind, value);
                if (number < meter.Min || number > meter.Max)
                {
                    throw Invalid($"meter {name}: value {number} is outside [{meter.Min}, {meter.Max}]");
                }

                return () => meter.SetValue(number);
            }

            case AttributeKind.Label:
            {
                var label = node.FindLabel(name) ?? throw NotFound(node, kind, name);
                return () => label.Text = value;
            }

            case AttributeKind.Trigger:
            case AttributeKind.Complete:
                CheckExpression(node, kind, value);
                return () => SetExpression(node, kind, value);
            case AttributeKind.Limit:
            case AttributeKind.LimitMax:
            {
                var limit = node.FindLimit(name) ?? throw NotFound(node, AttributeKind.Limit, name);
                var max = ParseInt(kind, value);
                if (max < 0)
                {
                    throw Invalid($"limit {name}: the maximum must not be negative, not {max}");
                }

                return () => limit.Max = max;
            }

            case AttributeKind.LimitValue:
            {
                var limit = node.FindLimit(name) ?? throw NotFound(node, AttributeKind.Limit, name);
                if (ParseInt(kind, value) != 0)
                {
                    // Tokens are held by named tasks; only releasing all of them (ecFlow's reset) keeps the books right.
                    throw Invalid($"limit {name}: the value in use can only be reset to 0");
                }

                return limit.Clear;
            }

            case AttributeKind.Repeat:
            {
                var repeat = node.Repeat ?? throw NotFound(node, kind, name);
                var position = PositionOf(repeat, value.Trim()) ?? throw Invalid($"repeat {repeat.Name}: '{value}' is not one of its values");
                return () => repeat.SetPosition(position);
            }

            case AttributeKind.DefaultStatus:
            {
                if (!DefaultStatuses.TryParse(value.Trim(), out var status))
                {
                    throw Invalid($"'{value}' is not a default status");
                }

                return () => node.DefaultStatus = status;
            }

            case AttributeKind.Late:
            {
                var late = ((LateAttribute?)ParseAttribute(kind, name, value))!;
                return () => node.Late = late;
            }

            case AttributeKind.InLimit:
            case AttributeKind.Time:
            {
                // A change of these is a delete of the old ones and an add of the new one.
                var remove = PrepareDelete(node, kind, name, string.Empty);
                var parsed = ParseAttribute(kind, name, value);
                return () =>
                {
                    remove();
                    AddParsed(node, kind, parsed)();
                };
            }

            default:
                throw Invalid($"{KindName(kind)} cannot be changed");
        }
    }

    private static Action PrepareDelete(Node node, AttributeKind kind, string name, string value)
    {
        switch (kind)
        {
            case AttributeKind.Parameter:
                if (name.Length == 0)
                {
                    var all = node.Parameters.Select(p => p.Name).ToList();
                    return () => all.ForEach(n => node.RemoveParameter(n));
                }

                _ = node.FindOwnParameter(name) ?? throw NotFound(node, kind, name);
                return () => node.RemoveParameter(name);
            case AttributeKind.Event:
                return DeleteNamed(node, kind, name, node.Events, e => e.Matches(name));
            case AttributeKind.Meter:
                return DeleteNamed(node, kind, name, node.Meters, m => m.Name == name);
            case AttributeKind.Label:
                return DeleteNamed(node, kind, name, node.Labels, l => l.Name == name);
            case AttributeKind.Limit:
                if (name.Length > 0 && node.FindLimit(name) is null)
                {
                    throw NotFound(node, kind, name);
                }

                return () => node.RemoveAttributes<Limit>(l => name.Length == 0 || l.Name == name);
            case AttributeKind.InLimit:
                return DeleteNamed(node, kind, name, node.InLimits, l => l.Name == name || $"{l.Path}:{l.Name}" == name);
            case AttributeKind.Trigger:
                _ = node.Trigger ?? throw NotFound(node, kind, name);
                return node.RemoveTrigger;
            case AttributeKind.Complete:
                _ = node.Complete ?? throw NotFound(node, kind, name);
                return node.RemoveComplete;
            case AttributeKind.Repeat:
                _ = node.Repeat ?? throw NotFound(node, kind, name);
                return node.RemoveRepeat;
            case AttributeKind.Late:
                _ = node.Late ?? throw NotFound(node, kind, name);
                return () => node.Late = null;
            case AttributeKind.Time:
                return DeleteTimes(node, name, value);
            case AttributeKind.DefaultStatus:
                return () => node.DefaultStatus = default;
            default:
                throw Invalid($"{KindName(kind)} cannot be deleted");
        }
    }

    /// <summary>Deletes time dependencies: all of them, all of one keyword (`--name today`), or the one written as the value.</summary>
    private static Action DeleteTimes(Node node, string keyword, string value)
    {
        if (keyword.Length > 0 && keyword is not ("time" or "today" or "date" or "day" or "cron"))
        {
            throw Invalid($"'{keyword}' is not a time dependency (time, today, date, day or cron)");
        }

        string? text = null;
        if (value.Trim().Length > 0)
        {
            var parsed = ParseAttribute(AttributeKind.Time, keyword, value);
            text = parsed!.ToString();
        }

        bool Match(object attribute, string kw) =>
            (keyword.Length == 0 || keyword == kw) && (text is null || attribute.ToString() == text);

        var found = node.Times.Any(t => Match(t, t.IsToday ? "today" : "time")) || node.Dates.Any(d => Match(d, "date")) ||
                    node.Days.Any(d => Match(d, "day")) || node.Crons.Any(c => Match(c, "cron"));
        if (!found)
        {
            throw Invalid($"{node.Path} has no such time dependency{(text is null ? string.Empty : $": {text}")}");
        }

        return () =>
        {
            node.RemoveAttributes<TimeAttribute>(t => Match(t, t.IsToday ? "today" : "time"));
            node.RemoveAttributes<DateAttribute>(d => Match(d, "date"));
            node.RemoveAttributes<DayAttribute>(d => Match(d, "day"));
            node.RemoveAttributes<CronAttribute>(c => Match(c, "cron"));
        };
    }

    private static Action DeleteNamed<T>(Node node, AttributeKind kind, string name, IReadOnlyList<T> items, Func<T, bool> match)
    {
        if (name.Length == 0)
        {
            return () => node.RemoveAttributes<T>(_ => true); // ecFlow: no name deletes them all
        }

        if (!items.Any(match))
        {
            throw NotFound(node, kind, name);
        }

        return () => node.RemoveAttributes<T>(i => match(i));
    }

    private static Action AddParsed(Node node, AttributeKind kind, object? parsed)
    {
        switch (parsed)
        {
            case Event e:
                if (node.FindEvent(e.Key) is not null)
                {
                    throw Invalid($"{node.Path} already has event {e.Key}");
                }

                return () => node.AddEvent(e);
            case Meter m:
                if (node.FindMeter(m.Name) is not null)
                {
                    throw Invalid($"{node.Path} already has meter {m.Name}");
                }

                return () => node.AddMeter(m);
            case Label l:
                if (node.FindLabel(l.Name) is not null)
                {
                    throw Invalid($"{node.Path} already has label {l.Name}");
                }

                return () => node.AddLabel(l);
            case Limit l:
                if (node.FindLimit(l.Name) is not null)
                {
                    throw Invalid($"{node.Path} already has limit {l.Name}");
                }

                return () => node.AddLimit(l);
            case InLimit l:
                if (node.InLimits.Any(i => i.Name == l.Name && i.Path == l.Path))
                {
                    throw Invalid($"{node.Path} already has inlimit {l.Path}:{l.Name}");
                }

                return () => node.AddInLimit(l);
            case Repeat r:
                if (node.Repeat is not null)
                {
                    throw Invalid($"{node.Path} already has a repeat ({node.Repeat.Name})");
                }

                return () => node.AddRepeat(r);
            case LateAttribute late:
                if (node.Late is not null)
                {
                    throw Invalid($"{node.Path} already has a late attribute (use change)");
                }

                return () => node.Late = late;
            case TimeAttribute t:
                return () => node.AddTime(t);
            case DateAttribute d:
                return () => node.AddDate(d);
            case DayAttribute d:
                return () => node.AddDay(d);
            case CronAttribute c:
                return () => node.AddCron(c);
            default:
                throw Invalid($"{KindName(kind)} cannot be added");
        }
    }

    /// <summary>Reads one attribute written as its `.def` line, e.g. <c>meter m 0 100 50</c>, inside a throw-away family.</summary>
    private static object? ParseAttribute(AttributeKind kind, string name, string value)
    {
        var v = value.Trim();
        var line = kind switch
        {
            AttributeKind.Event => $"event {RequireName(kind, name)}{(v is "set" or "1" ? " set" : string.Empty)}",
            AttributeKind.Meter => $"meter {RequireName(kind, name)} {v.Replace(',', ' ')}",
            AttributeKind.Label => $"label {RequireName(kind, name)} \"{value.Replace("\"", "\\\"", StringComparison.Ordinal)}\"",
            AttributeKind.Limit => $"limit {RequireName(kind, name)} {v}",
            AttributeKind.InLimit => $"inlimit {RequireName(kind, name)}{(v.Length > 0 ? " " + v : string.Empty)}",
            AttributeKind.Repeat => $"repeat {v}",
            AttributeKind.Late => $"late {v}",
            AttributeKind.Time => TimeLine(name, v),
            _ => throw Invalid($"{KindName(kind)} cannot be added"),
        };
        Family family;
        try
        {
            var defs = DefsReader.Parse($"suite alter\n  family alter\n    {line}\n  endfamily\nendsuite\n", "<alter>");
            family = (Family)defs.Flows[0].Children[0];
        }
        catch (TaklerException e)
        {
            throw Invalid($"{KindName(kind)} '{line}': {e.Message}");
        }

        object? parsed = kind switch
        {
            AttributeKind.Event => family.Events.FirstOrDefault(),
            AttributeKind.Meter => family.Meters.FirstOrDefault(),
            AttributeKind.Label => family.Labels.FirstOrDefault(),
            AttributeKind.Limit => family.Limits.FirstOrDefault(),
            AttributeKind.InLimit => family.InLimits.FirstOrDefault(),
            AttributeKind.Repeat => family.Repeat,
            AttributeKind.Late => family.Late,
            _ => (object?)family.Times.FirstOrDefault() ?? (object?)family.Dates.FirstOrDefault() ?? (object?)family.Days.FirstOrDefault() ?? family.Crons.FirstOrDefault(),
        };
        return parsed ?? throw Invalid($"{KindName(kind)} '{line}' is not valid");
    }

    private static string TimeLine(string keyword, string value)
    {
        var first = value.Split(' ', 2)[0];
        if (first is "time" or "today" or "date" or "day" or "cron")
        {
            return value;
        }

        if (keyword.Length > 0 && keyword is not ("time" or "today" or "date" or "day" or "cron"))
        {
            throw Invalid($"'{keyword}' is not a time dependency (time, today, date, day or cron)");
        }

        if (value.Length == 0)
        {
            throw Invalid("a time dependency needs a value, e.g. 10:00 or \"day monday\"");
        }

        return $"{(keyword.Length == 0 ? "time" : keyword)} {value}";
    }

    private static void CheckExpression(Node node, AttributeKind kind, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Invalid($"a {KindName(kind)} needs an expression");
        }

        BoundExpression bound;
        try
        {
            bound = ExpressionBinder.Bind(node, text);
        }
        catch (ExpressionSyntaxException e)
        {
            throw new TaklerException(TaklerErrorCode.ExpressionSyntax, $"alter: {KindName(kind)} of {node.Path}: {e.Message}");
        }

        if (!bound.IsResolved)
        {
            throw Invalid($"{KindName(kind)} of {node.Path}: {string.Join("; ", bound.Problems.Select(p => p.ToString()))}");
        }
    }

    private static void SetExpression(Node node, AttributeKind kind, string text)
    {
        if (kind == AttributeKind.Trigger)
        {
            node.RemoveTrigger();
            node.AddTrigger(text);
        }
        else
        {
            node.RemoveComplete();
            node.AddComplete(text);
        }
    }

    private static int? PositionOf(Repeat repeat, string value)
    {
        // Try the value at each position on a copy, so the repeat itself is untouched until the change applies.
        var probe = repeat.CloneDefinition();
        for (var i = 0; i < probe.Count && i < 1_000_000; i++)
        {
            probe.SetPosition(i);
            if (probe.ValueText == value)
            {
                return i;
            }
        }

        return null;
    }

    private static void ValidateParameterName(Node node, string name)
    {
        if (name.AsSpan().ContainsAny(' ', '\t'))
        {
            throw Invalid($"invalid parameter name '{name}' on {node.Path}");
        }
    }

    private static string RequireName(AttributeKind kind, string name) =>
        name.Length == 0 ? throw Invalid($"a {KindName(kind)} needs a name (--name)") : name;

    private static int ParseInt(AttributeKind kind, string value) =>
        int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw Invalid($"{KindName(kind)}: '{value}' is not an integer");

    private static string KindName(AttributeKind kind) => kind switch
    {
        AttributeKind.Parameter => "parameter",
        AttributeKind.InLimit => "inlimit",
        AttributeKind.LimitMax => "limit maximum",
        AttributeKind.LimitValue => "limit value",
        AttributeKind.DefaultStatus => "default status",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static TaklerException NotFound(Node node, AttributeKind kind, string name) =>
        Invalid($"{node.Path} has no {KindName(kind)}{(name.Length > 0 ? " " + name : string.Empty)}");

    private static TaklerException Invalid(string message) => new(TaklerErrorCode.UnsupportedValue, "alter: " + message);
}
