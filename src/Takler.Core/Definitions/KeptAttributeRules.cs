using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Definitions;

/// <summary>
/// The syntax of the ecFlow attributes that are kept verbatim (<see cref="KeptAttribute"/>) because they have no
/// behaviour here yet: they are still checked as ecFlow checks them, so a file ecFlow rejects is rejected here too.
/// </summary>
internal static class KeptAttributeRules
{
    private static readonly string[] ZombieTypes = ["user", "ecf", "ecf_pid", "ecf_pid_passwd", "ecf_passwd", "path"];
    private static readonly string[] ZombieActions = ["fob", "fail", "remove", "adopt", "block", "kill"];
    private static readonly string[] ZombieChildCommands = ["init", "event", "meter", "label", "wait", "queue", "abort", "complete"];
    private static readonly string[] VerifyStates = ["unknown", "complete", "queued", "aborted", "submitted", "active"];

    /// <summary>The keywords kept verbatim.</summary>
    public static bool IsKept(ReadOnlySpan<char> keyword) => keyword is
        "autocancel" or "autoarchive" or "autorestore" or "zombie" or "verify" or "queue" or "generic" or "aviso" or "mirror";

    /// <summary>
    /// Checks the arguments of <paramref name="keyword"/> and that <paramref name="node"/> may take one more; null
    /// when fine, else the message and which argument is wrong (-1: the keyword itself).
    /// </summary>
    public static (int Argument, string Message)? Check(string keyword, IReadOnlyList<string> args, Node node)
    {
        var syntax = keyword switch
        {
            "autocancel" => CheckAutoTime(keyword, args, allowInclusive: false),
            "autoarchive" => CheckAutoTime(keyword, args, allowInclusive: true),
            "autorestore" => args.Count == 0 ? (-1, "autorestore needs at least one node path") : null,
            "zombie" => CheckZombie(args),
            "verify" => CheckVerify(args),
            "queue" => CheckQueue(args),
            "generic" => args.Count == 0 ? (-1, "generic needs a name") : CheckName(args[0], 0, "generic"),
            _ => args.Count == 0 ? (-1, $"{keyword} needs arguments") : null,
        };
        return syntax ?? CheckDuplicate(keyword, args, node);
    }

    /// <summary>The identity of a kept attribute among its kind on one node: zombie type, verify state, queue or generic name.</summary>
    public static string Key(string keyword, string firstArgument) => keyword is "zombie" or "verify"
        ? firstArgument.Split(':')[0]
        : firstArgument;

    private static (int, string)? CheckDuplicate(string keyword, IReadOnlyList<string> args, Node node)
    {
        foreach (var kept in node.KeptAttributes)
        {
            switch (keyword)
            {
                case "autocancel" or "autoarchive" when kept.Keyword is "autocancel" or "autoarchive":
                    return kept.Keyword == keyword
                        ? (-1, $"{node.Path} already has an {keyword}; a node has at most one")
                        : (-1, $"{node.Path} cannot have both autocancel and autoarchive");
                case "autorestore" when kept.Keyword == keyword:
                    return (-1, $"{node.Path} already has an autorestore; a node has at most one");
                case "zombie" or "verify" or "queue" or "generic" when kept.Keyword == keyword:
                    var key = Key(keyword, args[0]);
                    var first = kept.Arguments.AsSpan();
                    var space = first.IndexOfAny(' ', '\t');
                    if (Key(keyword, (space < 0 ? first : first[..space]).ToString()) == key)
                    {
                        return (0, $"{node.Path} already has a {keyword} {(keyword is "zombie" ? "of type" : keyword is "verify" ? "for" : "named")} '{key}'");
                    }

                    break;
            }
        }

        return null;
    }

    private static (int, string)? CheckAutoTime(string keyword, IReadOnlyList<string> args, bool allowInclusive)
    {
        var times = args.Where(a => !(allowInclusive && a == "-i")).ToList();
        if (times.Count != 1)
        {
            return (-1, $"{keyword} needs one of +hh:mm, hh:mm or a number of days{(allowInclusive ? ", optionally followed by -i" : string.Empty)}");
        }

        var value = times[0];
        var index = args.ToList().IndexOf(value);
        if (value.All(char.IsAsciiDigit))
        {
            return null;
        }

        var clock = value.StartsWith('+') ? value[1..] : value;
        return DefsTime.TryParseClock(clock, out _, out _)
            ? null
            : (index, $"expected +hh:mm, hh:mm or a number of days after {keyword} but found '{value}'");
    }

    private static (int, string)? CheckZombie(IReadOnlyList<string> args)
    {
        if (args.Count != 1)
        {
            return (-1, "zombie needs one argument, type:action:child_commands:lifetime (e.g. ecf:fob:init:100)");
        }

        var parts = args[0].Split(':');
        if (parts.Length != 4)
        {
            return (0, $"invalid zombie '{args[0]}': expected type:action:child_commands:lifetime (e.g. ecf:fob::)");
        }

        if (!ZombieTypes.Contains(parts[0]))
        {
            return (0, $"invalid zombie type '{parts[0]}': expected one of {string.Join(", ", ZombieTypes)}");
        }

        if (parts[1].Length > 0 && !ZombieActions.Contains(parts[1]))
        {
            return (0, $"invalid zombie action '{parts[1]}': expected one of {string.Join(", ", ZombieActions)}");
        }

        if (parts[2].Length > 0)
        {
            foreach (var command in parts[2].Split(','))
            {
                if (!ZombieChildCommands.Contains(command))
                {
                    return (0, $"invalid zombie child command '{command}': expected some of {string.Join(", ", ZombieChildCommands)}");
                }
            }
        }

        if (parts[3].Length > 0 && !parts[3].All(char.IsAsciiDigit))
        {
            return (0, $"invalid zombie lifetime '{parts[3]}': expected a number of seconds");
        }

        return null;
    }

    private static (int, string)? CheckVerify(IReadOnlyList<string> args)
    {
        if (args.Count != 1)
        {
            return (-1, "verify needs one argument, state:count (e.g. complete:3)");
        }

        var colon = args[0].IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !VerifyStates.Contains(args[0][..colon]) || colon == args[0].Length - 1 || !args[0][(colon + 1)..].All(char.IsAsciiDigit))
        {
            return (0, $"invalid verify '{args[0]}': expected state:count (e.g. complete:3)");
        }

        return null;
    }

    private static (int, string)? CheckQueue(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            return (-1, "queue needs a name and values");
        }

        if (CheckName(args[0], 0, "queue") is { } error)
        {
            return error;
        }

        return args.Count < 2 ? (0, $"queue {args[0]} has no values") : null;
    }

    private static (int, string)? CheckName(string name, int index, string what) =>
        NodeNames.IsValid(name) ? null : (index, $"invalid {what} name '{name}': must start with a letter, digit or '_' and contain only letters, digits, '_' or '.'");
}
