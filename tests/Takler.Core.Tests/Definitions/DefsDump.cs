using System.Globalization;
using System.Text;
using Takler.Core.Attributes;
using Takler.Core.Definitions;
using Takler.Core.Nodes;

namespace Takler.Core.Tests.Definitions;

/// <summary>
/// A structural comparer for read definitions: a canonical text of everything the model holds, independent of
/// <see cref="DefsWriter"/>, so two trees are equal when their dumps are.
/// </summary>
internal static class DefsDump
{
    public static string Of(DefsFile defs, bool withState = false)
    {
        var text = new StringBuilder();
        foreach (var path in defs.Externs)
        {
            text.Append("extern ").AppendLine(path);
        }

        if (withState)
        {
            foreach (var p in defs.ServerParameters)
            {
                text.Append("server ").Append(p.Name).Append('=').AppendLine(p.Value);
            }
        }

        foreach (var flow in defs.Flows)
        {
            Node(text, flow, 0, withState);
        }

        return text.ToString();
    }

    private static void Node(StringBuilder text, Node node, int depth, bool withState)
    {
        var pad = new string(' ', depth * 2);
        var inner = pad + "  ";
        text.Append(pad).Append(node.GetType().Name).Append(' ').Append(node.Name);
        if (withState)
        {
            text.Append(" status=").Append(node.Status).Append(" suspended=").Append(node.Suspended);
            if (node is Flow f)
            {
                text.Append(" begun=").Append(f.Begun);
            }

            if (node is Takler.Core.Nodes.Task t)
            {
                text.Append(" try=").Append(t.TryNo).Append(" rid=").Append(t.TaskId);
            }
        }

        text.AppendLine();
        text.Append(inner).Append("defstatus=").AppendLine(node.DefaultStatus.ToString());
        if (node.Late is { } late)
        {
            text.Append(inner).Append(late).Append(withState ? $" late={node.IsLate}" : string.Empty).AppendLine();
        }

        Expression(text, inner, "trigger", node.Trigger, withState);
        Expression(text, inner, "complete", node.Complete, withState);
        if (node.Repeat is { } repeat)
        {
            text.Append(inner).Append("repeat ").Append(repeat.GetType().Name).Append(' ').Append(repeat.DefinitionText)
                .Append(" count=").Append(repeat.Count);
            if (withState)
            {
                text.Append(" position=").Append(repeat.Position);
            }

            text.AppendLine();
        }

        foreach (var p in node.Parameters)
        {
            text.Append(inner).Append("edit ").Append(p.Name).Append('=').Append('[').Append(p.Value).AppendLine("]");
        }

        foreach (var l in node.Limits)
        {
            text.Append(inner).Append("limit ").Append(l.Name).Append(' ').Append(l.Max);
            if (withState)
            {
                text.Append(" value=").Append(l.Value).Append(" holders=").Append(string.Join(',', l.Holders.Keys));
            }

            text.AppendLine();
        }

        foreach (var l in node.InLimits)
        {
            text.Append(inner).AppendLine(l.ToString());
        }

        foreach (var l in node.Labels)
        {
            text.Append(inner).Append("label ").Append(l.Name).Append(" [").Append(l.DefaultText).Append(']');
            if (withState)
            {
                text.Append(" text=[").Append(l.Text).Append(']');
            }

            text.AppendLine();
        }

        foreach (var m in node.Meters)
        {
            text.Append(inner).Append(CultureInfo.InvariantCulture, $"meter {m.Name} {m.Min} {m.Max} {m.Threshold}");
            if (withState)
            {
                text.Append(" value=").Append(m.Value);
            }

            text.AppendLine();
        }

        foreach (var e in node.Events)
        {
            text.Append(inner).Append(CultureInfo.InvariantCulture, $"event {e.Number} [{e.Name}] {e.InitialValue}");
            if (withState)
            {
                text.Append(" value=").Append(e.Value);
            }

            text.AppendLine();
        }

        foreach (var t in node.Times.Where(t => !t.IsToday).Concat(node.Times.Where(t => t.IsToday)))
        {
            text.Append(inner).AppendLine(t.ToString());
        }

        foreach (var d in node.Dates)
        {
            text.Append(inner).AppendLine(d.ToString());
        }

        foreach (var d in node.Days)
        {
            text.Append(inner).AppendLine(d.ToString());
        }

        foreach (var c in node.Crons)
        {
            text.Append(inner).Append(c).Append(" last-week-days=").AppendLine(string.Join(',', c.LastWeekDays));
        }

        foreach (var k in node.KeptAttributes.OrderBy(k => k.Keyword, StringComparer.Ordinal))
        {
            text.Append(inner).Append("kept ").Append(k.Keyword).Append(" [").Append(k.Arguments).Append(']');
            foreach (var line in k.Lines ?? [])
            {
                text.Append(" |").Append(line);
            }

            text.AppendLine();
        }

        if (node is Flow flow)
        {
            text.Append(inner).Append("clock ").AppendLine(flow.Clock?.ToString());
            text.Append(inner).Append("endclock ").AppendLine(flow.EndClock?.ToString());
        }

        foreach (var child in node.Children)
        {
            Node(text, child, depth + 1, withState);
        }
    }

    private static void Expression(StringBuilder text, string pad, string keyword, ExpressionAttribute? expression, bool withState)
    {
        if (expression is null)
        {
            return;
        }

        foreach (var part in expression.Parts)
        {
            text.Append(pad).Append(keyword).Append(' ').Append(part.Join).Append(" [").Append(part.Text).AppendLine("]");
        }

        if (withState)
        {
            text.Append(pad).Append(keyword).Append(" free=").Append(expression.Free).AppendLine();
        }
    }
}
