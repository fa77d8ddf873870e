namespace Takler.Cli;

/// <summary>A parsed child command: which, where, for which task, and its values (event name, meter value, ...).</summary>
/// <param name="Command">init, complete, abort, event, meter or label.</param>
/// <param name="Host">--host, or null.</param>
/// <param name="Port">--port, or null.</param>
/// <param name="NodePath">--node-path, or null for TAKLER_NAME.</param>
/// <param name="Name">The task id (init), reason (abort), event, meter or label name.</param>
/// <param name="Value">The meter value or label text.</param>
internal sealed record ChildInvocation(string Command, string? Host, string? Port, string? NodePath, string? Name, string? Value)
{
    /// <summary>The child commands.</summary>
    public static readonly string[] Commands = ["init", "complete", "abort", "event", "meter", "label"];

    /// <summary>
    /// Fills the command's values from its options, then from positional words in order (Takler's option forms and
    /// the short forms job scripts use). Returns an error text for a missing or extra value, else null.
    /// </summary>
    public static string? Resolve(string command, string? nameOption, string? valueOption, IReadOnlyList<string> positionals, out string? name, out string? value)
    {
        name = nameOption;
        value = valueOption;
        var next = 0;
        switch (command)
        {
            case "complete":
                return positionals.Count > 0 ? $"Got unexpected extra argument ({positionals[0]})" : null;
            case "init":
                name ??= Take(positionals, ref next);
                break;
            case "abort":
                if (name is null && positionals.Count > 0)
                {
                    name = string.Join(' ', positionals);
                    next = positionals.Count;
                }

                break;
            case "event":
                name ??= Take(positionals, ref next);
                if (name is null)
                {
                    return "Missing option '--event-name'.";
                }

                break;
            case "meter":
                name ??= Take(positionals, ref next);
                value ??= Take(positionals, ref next);
                if (name is null)
                {
                    return "Missing option '--meter-name'.";
                }

                if (value is null)
                {
                    return "Missing option '--meter-value'.";
                }

                break;
            case "label":
                name ??= Take(positionals, ref next);
                if (value is null && next < positionals.Count)
                {
                    value = string.Join(' ', positionals.Skip(next));
                    next = positionals.Count;
                }

                if (name is null)
                {
                    return "Missing option '--label-name'.";
                }

                if (value is null)
                {
                    return "Missing option '--label-value'.";
                }

                break;
            default:
                return $"No such command '{command}'.";
        }

        return next < positionals.Count ? $"Got unexpected extra argument ({positionals[next]})" : null;
    }

    private static string? Take(IReadOnlyList<string> positionals, ref int next) => next < positionals.Count ? positionals[next++] : null;
}
