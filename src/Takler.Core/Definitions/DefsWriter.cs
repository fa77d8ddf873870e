using System.Globalization;
using System.Runtime.CompilerServices;
using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Definitions;

/// <summary>
/// Writes flows as an ecFlow definition, in ecFlow's layout: `suite` at the margin and two blanks per level,
/// `endfamily` and `endsuite` closing, tasks without `endtask`, and each node's attributes in ecFlow's order
/// (defstatus, late, complete, trigger, repeat, edit, limit, inlimit, label, meter, event, time, today, date, day,
/// cron, aviso, mirror, autocancel, autoarchive, autorestore, zombie, verify, queue, generic, then a suite's clock
/// and endclock). What <see cref="DefsReader"/> reads from this text is equal to what was written.
/// </summary>
public static class DefsWriter
{
    private static readonly string[] KeptOrder = ["aviso", "mirror", "autocancel", "autoarchive", "autorestore", "zombie", "verify", "queue", "generic"];

    /// <summary>Writes <paramref name="flows"/>.</summary>
    public static void Write(IEnumerable<Flow> flows, TextWriter writer, DefsWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(flows);
        ArgumentNullException.ThrowIfNull(writer);
        var run = new Run(writer, options ?? DefsWriterOptions.Default);
        if (run.Options.IncludeState)
        {
            run.Line(0, "defs_state STATE");
        }

        foreach (var flow in flows)
        {
            run.Node(flow, 0);
        }
    }

    /// <summary>Writes a read definition: its externs, its server variables (with state), then its flows.</summary>
    public static void Write(DefsFile defs, TextWriter writer, DefsWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(defs);
        ArgumentNullException.ThrowIfNull(writer);
        var run = new Run(writer, options ?? DefsWriterOptions.Default);
        if (run.Options.IncludeState)
        {
            run.Line(0, "defs_state STATE");
            foreach (var parameter in defs.ServerParameters)
            {
                run.Edit(0, parameter);
            }
        }

        foreach (var path in defs.Externs)
        {
            run.Line(0, "extern " + path);
        }

        foreach (var flow in defs.Flows)
        {
            run.Node(flow, 0);
        }
    }

    /// <summary>The definition text of <paramref name="flows"/>.</summary>
    public static string ToText(IEnumerable<Flow> flows, DefsWriterOptions? options = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(flows, writer, options);
        return writer.ToString();
    }

    /// <summary>The definition text of <paramref name="defs"/>.</summary>
    public static string ToText(DefsFile defs, DefsWriterOptions? options = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(defs, writer, options);
        return writer.ToString();
    }

    private sealed class Run(TextWriter writer, DefsWriterOptions options)
    {
        private readonly List<string> _indents = [string.Empty];

        public DefsWriterOptions Options { get; } = options;

        private bool State => Options.IncludeState;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Node(Node node, int level)
        {
            var keyword = node switch
            {
                Flow => "suite",
                Family => "family",
                _ => "task",
            };
            Indent(level);
            writer.Write(keyword);
            writer.Write(' ');
            writer.Write(node.Name);
            if (State)
            {
                NodeState(node);
            }

            writer.Write(Options.NewLine);
            Attributes(node, level + 1);
            var children = node.Children;
            for (var i = 0; i < children.Count; i++)
            {
                var child = children[i];
                Node(child, level + 1);
            }

            if (node is Task)
            {
                return;
            }

            Line(level, node is Flow ? "endsuite" : "endfamily");
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Line(int level, string text)
        {
            Indent(level);
            writer.Write(text);
            writer.Write(Options.NewLine);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Edit(int level, Parameter parameter)
        {
            Indent(level);
            writer.Write("edit ");
            writer.Write(parameter.Name);
            writer.Write(' ');
            Quoted(parameter.Value, '\'');
            writer.Write(Options.NewLine);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Attributes(Node node, int level)
        {
            if (node.DefaultStatus != DefaultStatus.Queued)
            {
                Line(level, "defstatus " + node.DefaultStatus.Name());
            }

            if (node.Late is { } late)
            {
                Begin(level, late.ToString());
                End(State && node.IsLate ? "late" : null);
            }

            Expression(level, "complete", node.Complete);
            Expression(level, "trigger", node.Trigger);
            if (node.Repeat is { } repeat)
            {
                Repeat(level, repeat);
            }

            Kept(level, node, "repeat");
            var parameters = node.Parameters;
            for (var i = 0; i < parameters.Count; i++)
            {
                var parameter = parameters[i];
                Edit(level, parameter);
            }

            var limits = node.Limits;
            for (var i = 0; i < limits.Count; i++)
            {
                var limit = limits[i];
                Begin(level, "limit ");
                writer.Write(limit.Name);
                writer.Write(' ');
                writer.Write(Number(limit.Max));
                End(State && limit.Value != 0 ? string.Join(' ', [Number(limit.Value), .. limit.Holders.Keys]) : null);
            }

            var inLimits = node.InLimits;
            for (var i = 0; i < inLimits.Count; i++)
            {
                var inLimit = inLimits[i];
                Begin(level, "inlimit ");
                writer.Write(inLimit.LimitFamilies ? "-n " : inLimit.SubmissionOnly ? "-s " : string.Empty);
                if (inLimit.Path is not null)
                {
                    writer.Write(inLimit.Path);
                    writer.Write(':');
                }

                writer.Write(inLimit.Name);
                if (inLimit.Tokens != 1)
                {
                    writer.Write(' ');
                    writer.Write(Number(inLimit.Tokens));
                }

                End(null);
            }

            var labels = node.Labels;
            for (var i = 0; i < labels.Count; i++)
            {
                var label = labels[i];
                Begin(level, "label ");
                writer.Write(label.Name);
                writer.Write(' ');
                Quoted(label.DefaultText, '"');
                End(State && label.Text != label.DefaultText ? "\"" + label.Text.Replace("\n", "\\n", StringComparison.Ordinal) + "\"" : null);
            }

            var meters = node.Meters;
            for (var i = 0; i < meters.Count; i++)
            {
                var meter = meters[i];
                Begin(level, "meter ");
                writer.Write(meter.Name);
                writer.Write(' ');
                writer.Write(Number(meter.Min));
                writer.Write(' ');
                writer.Write(Number(meter.Max));
                if (meter.Threshold is { } threshold)
                {
                    writer.Write(' ');
                    writer.Write(Number(threshold));
                }

                End(State && meter.Value != meter.Min ? Number(meter.Value) : null);
            }

            var events = node.Events;
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                Begin(level, "event");
                if (e.Number is { } number)
                {
                    writer.Write(' ');
                    writer.Write(Number(number));
                }

                if (e.Name.Length > 0)
                {
                    writer.Write(' ');
                    writer.Write(e.Name);
                }

                if (e.InitialValue)
                {
                    writer.Write(" set");
                }

                End(State && e.Value != e.InitialValue ? (e.Value ? "set" : "clear") : null);
            }

            // ecFlow writes all `time`s, then all `today`s. (Index loops here: a foreach over the IReadOnlyList
            // properties would allocate an enumerator per node.)
            var times = node.Times;
            for (var i = 0; i < times.Count; i++)
            {
                var time = times[i];
                if (!time.IsToday)
                {
                    Line(level, time.ToString());
                }
            }

            for (var i = 0; i < times.Count; i++)
            {
                var time = times[i];
                if (time.IsToday)
                {
                    Line(level, time.ToString());
                }
            }

            var dates = node.Dates;
            for (var i = 0; i < dates.Count; i++)
            {
                var date = dates[i];
                Line(level, date.ToString());
            }

            var days = node.Days;
            for (var i = 0; i < days.Count; i++)
            {
                var day = days[i];
                Line(level, day.ToString());
            }

            var crons = node.Crons;
            for (var i = 0; i < crons.Count; i++)
            {
                var cron = crons[i];
                Line(level, cron.ToString());
            }

            foreach (var keyword in KeptOrder)
            {
                Kept(level, node, keyword);
            }

            var others = node.KeptAttributes;
            for (var i = 0; i < others.Count; i++)
            {
                var kept = others[i];
                if (kept.Keyword != "repeat" && kept.Keyword != "alias" && Array.IndexOf(KeptOrder, kept.Keyword) < 0)
                {
                    Line(level, kept.ToString());
                }
            }

            if (node is Flow flow)
            {
                if (flow.Clock is { } clock)
                {
                    Line(level, clock.ToString());
                }

                if (flow.EndClock is { } endClock)
                {
                    // "clock real 23.1.2006 +7200" -> "endclock 23.1.2006 +7200": the end has the clock's type.
                    var text = endClock.ToString();
                    var arguments = text.IndexOf(' ', "clock ".Length);
                    Line(level, arguments < 0 ? "endclock" : "endclock" + text[arguments..]);
                }
            }

            var aliases = node.KeptAttributes;
            for (var i = 0; i < aliases.Count; i++)
            {
                var kept = aliases[i];
                if (kept.Keyword == "alias")
                {
                    Line(level, kept.ToString());
                    foreach (var line in kept.Lines ?? [])
                    {
                        Line(level + 1, line);
                    }

                    Line(level, "endalias");
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Kept(int level, Node node, string keyword)
        {
            var keptList = node.KeptAttributes;
            for (var i = 0; i < keptList.Count; i++)
            {
                var kept = keptList[i];
                if (kept.Keyword == keyword)
                {
                    Line(level, kept.ToString());
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Expression(int level, string keyword, ExpressionAttribute? expression)
        {
            if (expression is null)
            {
                return;
            }

            for (var i = 0; i < expression.Parts.Count; i++)
            {
                var part = expression.Parts[i];
                Begin(level, keyword);
                writer.Write(part.Join switch
                {
                    ExpressionJoin.And when i > 0 => " -a ",
                    ExpressionJoin.Or when i > 0 => " -o ",
                    _ => " ",
                });
                writer.Write(part.Text);
                End(State && i == 0 && expression.Free ? "free" : null);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Repeat(int level, Repeat repeat)
        {
            Begin(level, "repeat ");
            string? state = repeat.Position == 0 ? null : Number(repeat.Position);
            switch (repeat)
            {
                case RepeatInteger r:
                    writer.Write(FormattableString.Invariant($"integer {r.Name} {r.Start} {r.End}"));
                    if (r.Step != 1)
                    {
                        writer.Write(' ');
                        writer.Write(r.Step.ToString(CultureInfo.InvariantCulture));
                    }

                    state = repeat.Position == 0 ? null : r.ValueText;
                    break;
                case RepeatDate r:
                    writer.Write(FormattableString.Invariant($"date {r.Name} {r.Start} {r.End} {r.Step}"));
                    state = repeat.Position == 0 ? null : r.ValueText;
                    break;
                case RepeatDateTime r:
                    writer.Write(r.DefinitionText);
                    state = repeat.Position == 0 ? null : r.ValueText;
                    break;
                case RepeatDateList r:
                    writer.Write("datelist ");
                    writer.Write(r.Name);
                    foreach (var date in r.Dates)
                    {
                        writer.Write(" \"");
                        writer.Write(date.ToString(CultureInfo.InvariantCulture));
                        writer.Write('"');
                    }

                    break;
                case RepeatEnumerated r:
                    Values("enumerated", r.Name, r.Values);
                    break;
                case RepeatString r:
                    Values("string", r.Name, r.Values);
                    break;
                default:
                    writer.Write(repeat.DefinitionText);
                    state = null;
                    break;
            }

            End(State ? state : null);
        }

        private void Values(string kind, string name, IReadOnlyList<string> values)
        {
            writer.Write(kind);
            writer.Write(' ');
            writer.Write(name);
            foreach (var value in values)
            {
                writer.Write(' ');
                Quoted(value, '"');
            }
        }

        private void NodeState(Node node)
        {
            writer.Write(" #");
            if (node is Flow { Begun: true })
            {
                writer.Write(" begun:1");
            }

            writer.Write(" state:");
            writer.Write(node.Status.Name());
            if (node.Suspended)
            {
                writer.Write(" suspended:1");
            }

            if (node is Task task)
            {
                if (task.TryNo != 0)
                {
                    writer.Write(" try:");
                    writer.Write(Number(task.TryNo));
                }

                if (!string.IsNullOrEmpty(task.TaskId) && !task.TaskId.Any(char.IsWhiteSpace))
                {
                    writer.Write(" rid:");
                    writer.Write(task.TaskId);
                }
            }
        }

        /// <summary>Writes <paramref name="value"/> in <paramref name="quote"/>s, or in the other quote when it holds that one.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Quoted(string value, char quote)
        {
            var other = quote == '"' ? '\'' : '"';
            if (value.Contains(quote, StringComparison.Ordinal) && !value.Contains(other, StringComparison.Ordinal))
            {
                quote = other;
            }

            writer.Write(quote);
            writer.Write(value);
            writer.Write(quote);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Begin(int level, string text)
        {
            Indent(level);
            writer.Write(text);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void End(string? state)
        {
            if (state is not null)
            {
                writer.Write(" # ");
                writer.Write(state);
            }

            writer.Write(Options.NewLine);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Indent(int level)
        {
            while (_indents.Count <= level)
            {
                _indents.Add(new string(' ', _indents.Count * Options.IndentSize));
            }

            writer.Write(_indents[level]);
        }

        private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
