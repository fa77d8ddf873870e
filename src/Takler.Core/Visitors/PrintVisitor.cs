using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Visitors;

/// <summary>
/// Prints a tree in Takler's text format, pre-order: `|- name [status]` (with ` (late)` for a task flagged late), two more spaces per level, then the
/// node's attribute lines (repeat, trigger, time, param, # param, limit, event, meter) indented under it.
/// </summary>
public sealed class PrintVisitor
{
    private readonly TextWriter _writer;
    private readonly PrintOptions _options;

    public PrintVisitor(TextWriter writer, PrintOptions? options = null)
    {
        _writer = writer;
        _options = options ?? new PrintOptions();
    }

    /// <summary>Prints every flow of a bunch, in order.</summary>
    public void Print(Bunch bunch)
    {
        foreach (var flow in bunch.Flows)
        {
            Print(flow);
        }
    }

    /// <summary>Prints a node and everything below it.</summary>
    public void Print(Node root)
    {
        var baseDepth = root.Depth;
        foreach (var node in root.SelfAndDescendants())
        {
            Visit(node, node.Depth - baseDepth);
        }
    }

    /// <summary>Prints a tree to a string.</summary>
    public static string ToText(Node root, PrintOptions? options = null)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        new PrintVisitor(writer, options).Print(root);
        return writer.ToString();
    }

    /// <summary>Prints a bunch to a string.</summary>
    public static string ToText(Bunch bunch, PrintOptions? options = null)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        new PrintVisitor(writer, options).Print(bunch);
        return writer.ToString();
    }

    private void Visit(Node node, int depth)
    {
        var indent = new string(' ', 2 * depth);
        var status = node.Status.Name();
        var late = node.IsLate ? " (late)" : string.Empty; // Takler has no late flag: its nodes print unchanged.
        _writer.Write($"{indent}|- {node.Name} [{(node.Suspended ? $"suspend ({status})" : status)}]{late}\n");
        var pad = new string(' ', (2 * depth) + 4);
        if (node.Repeat is { } repeat)
        {
            _writer.Write($"{pad}repeat {repeat.Name} {repeat.ValueText} [{RepeatBounds(repeat)}]\n");
        }

        if (_options.ShowTrigger)
        {
            if (node.Trigger is { } trigger)
            {
                _writer.Write($"{pad}trigger {trigger.Text}\n");
            }

            foreach (var time in node.Times)
            {
                _writer.Write($"{pad}{time}\n");
            }
        }

        if (_options.ShowParameter)
        {
            foreach (var p in node.Parameters)
            {
                _writer.Write($"{pad}param {p.Name} '{p.Value}'\n");
            }

            foreach (var (name, value) in TaklerGeneratedParameters(node))
            {
                _writer.Write($"{pad}# param {name} '{value}'\n");
            }
        }

        if (_options.ShowLimit)
        {
            foreach (var limit in node.Limits)
            {
                _writer.Write($"{pad}limit {limit.Name} [{limit.Value}/{limit.Max}]\n");
            }
        }

        if (_options.ShowEvent)
        {
            foreach (var ev in node.Events)
            {
                _writer.Write($"{pad}event {ev.Key} [{(ev.Value ? "set" : "unset")}]\n");
            }
        }

        if (_options.ShowMeter)
        {
            foreach (var meter in node.Meters)
            {
                _writer.Write($"{pad}meter {meter.Name} {meter.Min} {meter.Max} [{meter.Value}]\n");
            }
        }
    }

    /// <summary>The generated parameters in the order and with the names Takler's `show` prints them.</summary>
    private IEnumerable<(string Name, string Value)> TaklerGeneratedParameters(Node node)
    {
        if (node.Repeat is { } repeat)
        {
            yield return (repeat.Name, repeat.ValueText);
        }

        string[] names = node switch
        {
            Flow => ["DATE", "TIME"],
            ShellScriptTask => ["TAKLER_SCRIPT", "TAKLER_JOB", "TAKLER_JOBOUT", "TASK", "TAKLER_NAME", "TAKLER_RID", "TAKLER_TRY_NO", "TAKLER_PASS"],
            Task => ["TASK", "TAKLER_NAME", "TAKLER_RID", "TAKLER_TRY_NO", "TAKLER_PASS"],
            _ => [],
        };
        foreach (var name in names)
        {
            var value = "None";
            if (_options.LiveGeneratedValues)
            {
                foreach (var (key, v) in node.GeneratedParameters())
                {
                    if (key == name)
                    {
                        value = v;
                        break;
                    }
                }
            }

            yield return (name, value);
        }
    }

    private static string RepeatBounds(Attributes.Repeat repeat) => repeat switch
    {
        Attributes.RepeatDate d => FormattableString.Invariant($"{d.Start}, {d.End}"),
        Attributes.RepeatInteger i => FormattableString.Invariant($"{i.Start}, {i.End}"),
        _ => FormattableString.Invariant($"0, {repeat.Count - 1}"),
    };
}
