using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Takler.Protocol;

namespace Takler.Cli;

/// <summary>The people-facing text of the extension queries (status, zombies, stats).</summary>
internal static class QueryText
{
    public static string Status(StatusResponse s)
    {
        var text = new StringBuilder();
        Line(text, "path", s.NodePath);
        Line(text, "status", s.Suspended ? $"suspend ({StatusName(s.Status)})" : StatusName(s.Status));
        if (s.Kind == NodeKind.Task)
        {
            Line(text, "try", s.TryNo.ToString(CultureInfo.InvariantCulture));
            Line(text, "rid", s.Rid);
            Line(text, "submitted", Time(s.SubmitTime));
            Line(text, "started", Time(s.StartTime));
            if (s.AbortedReason.Length > 0)
            {
                Line(text, "aborted reason", s.AbortedReason);
            }
        }

        foreach (var m in s.Meters)
        {
            Line(text, $"meter {m.Name}", string.Create(CultureInfo.InvariantCulture, $"{m.Value} of {m.MaxValue}"));
        }

        return text.ToString();
    }

    public static string Zombies(IReadOnlyList<Zombie> zombies)
    {
        if (zombies.Count == 0)
        {
            return string.Empty;
        }

        var rows = zombies.Select(z => (z.NodePath, z.ChildCommand, CommandExecution.OneLine(z.Reason))).Prepend(("PATH", "COMMAND", "REASON")).ToList();
        var w1 = rows.Max(r => r.Item1.Length);
        var w2 = rows.Max(r => r.Item2.Length);
        var text = new StringBuilder();
        foreach (var (path, command, reason) in rows)
        {
            text.Append(path.PadRight(w1)).Append("  ").Append(command.PadRight(w2)).Append("  ").Append(reason).Append('\n');
        }

        return text.ToString();
    }

    public static string Stats(ServerStatsResponse s)
    {
        var text = new StringBuilder();
        Line(text, "version", s.Version);
        Line(text, "server", $"{s.Host}:{s.Port}");
        Line(text, "started", Time(s.StartTime));
        Line(text, "uptime", s.Uptime is null ? "-" : PythonTimedelta.Format(s.Uptime.ToTimeSpan()));
        Line(text, "flows", s.FlowCount.ToString(CultureInfo.InvariantCulture));
        Line(text, "nodes", s.NodeCount.ToString(CultureInfo.InvariantCulture));
        Line(text, "tasks", s.TaskCount.ToString(CultureInfo.InvariantCulture));
        foreach (var count in s.StatusCounts)
        {
            Line(text, $"  {StatusName(count.Status)}", count.Count.ToString(CultureInfo.InvariantCulture));
        }

        Line(text, "commands", s.CommandsHandled.ToString(CultureInfo.InvariantCulture));
        Line(text, "child commands", s.ChildCommandsHandled.ToString(CultureInfo.InvariantCulture));
        Line(text, "last checkpoint", Time(s.LastCheckpoint));
        return text.ToString();
    }

    /// <summary>The status as Takler names it: unknown, complete, queued, submitted, active, aborted.</summary>
    public static string StatusName(NodeStatus status) => status switch
    {
        NodeStatus.Complete => "complete",
        NodeStatus.Queued => "queued",
        NodeStatus.Submitted => "submitted",
        NodeStatus.Active => "active",
        NodeStatus.Aborted => "aborted",
        _ => "unknown",
    };

    private static void Line(StringBuilder text, string key, string value) =>
        text.Append(key).Append(": ").Append(value.Length == 0 ? "-" : value).Append('\n');

    private static string Time(Timestamp? time) =>
        time is null ? "-" : time.ToDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
