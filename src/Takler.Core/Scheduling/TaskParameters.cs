using System.Globalization;
using Takler.Core.Nodes;

namespace Takler.Core.Scheduling;

/// <summary>
/// The user parameters that steer scheduling, inherited down the tree (the nearest definition wins, then the
/// server's): TAKLER_PRIORITY, TAKLER_TRIES (or ecFlow's ECF_TRIES) and TAKLER_RETRY_DELAY.
/// </summary>
public static class TaskParameters
{
    /// <summary>Order among tasks waiting together: higher first. The default value is 0.</summary>
    public const string Priority = "TAKLER_PRIORITY";

    /// <summary>How many times a task is tried in all before it stays aborted. The default value is 1 (no automatic rerun).</summary>
    public const string Tries = "TAKLER_TRIES";

    /// <summary>ecFlow's name for <see cref="Tries"/>, honoured when TAKLER_TRIES is not set anywhere.</summary>
    public const string EcfTries = "ECF_TRIES";

    /// <summary>Seconds between an abort and the next try. The default value is 0.</summary>
    public const string RetryDelay = "TAKLER_RETRY_DELAY";

    /// <summary>The priority of <paramref name="node"/>; 0 when unset or not an integer.</summary>
    public static int PriorityOf(Node node) => IntegerOrDefault(node, Priority, 0);

    /// <summary>The number of tries of <paramref name="node"/> (at least 1).</summary>
    public static int TriesOf(Node node)
    {
        var tries = Inherited(node, Tries) is { } text ? Parse(text, 1) : IntegerOrDefault(node, EcfTries, 1);
        return Math.Max(1, tries);
    }

    /// <summary>The delay before a retry of <paramref name="node"/>.</summary>
    public static TimeSpan RetryDelayOf(Node node) => TimeSpan.FromSeconds(Math.Max(0, IntegerOrDefault(node, RetryDelay, 0)));

    /// <summary>The nearest user parameter of that name on the node or above it, else the server's; null when none.</summary>
    public static string? Inherited(Node node, string name)
    {
        for (Node? n = node; n is not null; n = n.Parent)
        {
            if (n.FindOwnParameter(name) is { } p)
            {
                return p.Value;
            }
        }

        if (node.Bunch is { } bunch)
        {
            foreach (var p in bunch.ServerParameters)
            {
                if (p.Name == name)
                {
                    return p.Value;
                }
            }
        }

        return null;
    }

    private static int IntegerOrDefault(Node node, string name, int fallback) =>
        Inherited(node, name) is { } text ? Parse(text, fallback) : fallback;

    private static int Parse(string text, int fallback) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
