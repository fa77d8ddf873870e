using System.Text;
using Takler.Client;
using Takler.Protocol;

namespace Takler.Cli;

/// <summary>The output and exit code of <c>run --wait</c> and <c>wait</c>: one line per node.</summary>
internal static class WaitText
{
    /// <summary>Exit code when some task aborted.</summary>
    public const int Aborted = 1;

    /// <summary>Exit code when the server could not be reached (as for every command).</summary>
    public const int Unreachable = 4;

    /// <summary>Exit code when the timeout passed.</summary>
    public const int TimedOut = 5;

    /// <summary>Prints one line per node and returns the exit code: 4 if any is unknown, else 5 if any timed out, else 1 if any aborted, else 0.</summary>
    public static int Report(IReadOnlyList<NodeRunResult> results, ServerAddress server)
    {
        var text = new StringBuilder();
        foreach (var r in results)
        {
            text.Append(r.NodePath).Append(' ').Append(Describe(r)).Append('\n');
        }

        Console.Out.Write(text.ToString());
        if (results.Any(r => r.Outcome == RunOutcome.Unknown))
        {
            Console.Error.Write($"ClientConnectionError: lost or could not reach server {server}: the outcome is unknown\n");
            return Unreachable;
        }

        return results.Any(r => r.Outcome == RunOutcome.TimedOut) ? TimedOut
            : results.Any(r => r.Outcome == RunOutcome.Aborted) ? Aborted
            : 0;
    }

    /// <summary>Statuses from <c>complete,aborted</c> (null: complete). Returns the error, if any.</summary>
    public static string? ParseStatuses(string? text, out List<NodeStatus> statuses)
    {
        statuses = [];
        if (text is null)
        {
            return null;
        }

        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            NodeStatus? status = name switch
            {
                "unknown" => NodeStatus.Unknown,
                "complete" => NodeStatus.Complete,
                "queued" => NodeStatus.Queued,
                "submitted" => NodeStatus.Submitted,
                "active" => NodeStatus.Active,
                "aborted" => NodeStatus.Aborted,
                _ => null,
            };
            if (status is null)
            {
                return $"Invalid value for '--status': '{name}' is not one of unknown, complete, queued, submitted, active, aborted.";
            }

            statuses.Add(status.Value);
        }

        return statuses.Count == 0 ? "Invalid value for '--status': no status given." : null;
    }

    private static string Describe(NodeRunResult r)
    {
        var tryNo = r.TryNo > 0 ? $" (try {r.TryNo})" : string.Empty;
        var last = r.Status == NodeStatus.Unspecified ? string.Empty : $" (last seen {QueryText.StatusName(r.Status)}{(r.TryNo > 0 ? $", try {r.TryNo}" : string.Empty)})";
        return r.Outcome switch
        {
            RunOutcome.Accepted => "accepted",
            RunOutcome.Complete or RunOutcome.Aborted or RunOutcome.Reached => QueryText.StatusName(r.Status) + tryNo,
            RunOutcome.TimedOut => "timed out" + last,
            _ => "unknown" + last,
        };
    }
}
