namespace Takler.Cli;

/// <summary>
/// The fast parser of child commands. It accepts only well-formed command lines; for anything else (help, unknown
/// options, missing values) it declines, and the full System.CommandLine parser reports the problem.
/// </summary>
internal static class ChildCommandLine
{
    public static bool TryParse(string[] args, out ChildInvocation invocation)
    {
        invocation = null!;
        if (args.Length == 0 || Array.IndexOf(ChildInvocation.Commands, args[0]) < 0)
        {
            return false;
        }

        var command = args[0];
        var (nameOption, valueOption) = OptionNames(command);
        string? host = null, port = null, nodePath = null, name = null, value = null;
        var positionals = new List<string>();
        var optionsDone = false;
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (optionsDone || arg.Length == 0 || arg[0] != '-' || arg == "-")
            {
                positionals.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsDone = true;
                continue;
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? arg : arg[..eq];
            string? text;
            if (eq >= 0)
            {
                text = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Length)
            {
                text = args[++i];
            }
            else
            {
                return false;
            }

            switch (key)
            {
                case "--host" when host is null:
                    host = text;
                    break;
                case "--port" when port is null:
                    port = text;
                    break;
                case "--node-path" when nodePath is null:
                    nodePath = text;
                    break;
                case var k when k == nameOption && name is null:
                    name = text;
                    break;
                case var k when k == valueOption && value is null:
                    value = text;
                    break;
                default:
                    return false;
            }
        }

        if (ChildInvocation.Resolve(command, name, value, positionals, out name, out value) is not null)
        {
            return false;
        }

        if (nodePath is null && Environment.GetEnvironmentVariable(ChildCommandRunner.NameVariable) is null
            && Environment.GetEnvironmentVariable(ChildCommandRunner.NoTaklerVariable) is null)
        {
            return false;
        }

        invocation = new ChildInvocation(command, host, port, nodePath, name, value);
        return true;
    }

    /// <summary>The command's own options: Takler's names, plus label's.</summary>
    public static (string? Name, string? Value) OptionNames(string command) => command switch
    {
        "init" => ("--task-id", null),
        "abort" => ("--reason", null),
        "event" => ("--event-name", null),
        "meter" => ("--meter-name", "--meter-value"),
        "label" => ("--label-name", "--label-value"),
        _ => (null, null),
    };
}
