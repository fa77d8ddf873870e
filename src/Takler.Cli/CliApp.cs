using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Globalization;
using Takler.Client;
using Takler.Core.Visitors;
using Takler.Protocol;
using DepType = Takler.Protocol.FreeDepCommand.Types.DepType;
using ForceState = Takler.Protocol.ForceCommand.Types.ForceState;

namespace Takler.Cli;

/// <summary>The full command line: every command, its options and help, on System.CommandLine.</summary>
internal static class CliApp
{
    /// <summary>Exit code of a command-line usage error (click's).</summary>
    public const int UsageError = 2;

    public static int Run(string[] args)
    {
        var root = Build();
        var result = root.Parse(args);
        if (result.Errors.Count > 0 && result.Action is ParseErrorAction)
        {
            return Usage(result.CommandResult.Command, result.Errors[0].Message);
        }

        return result.Invoke();
    }

    /// <summary>The command tree.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("A CLI client for Takler.");
        root.SetAction(result =>
        {
            _ = root.Parse(["--help"]).Invoke();
            return 0;
        });

        root.Subcommands.Add(Child("abort", "mark task to aborted"));
        root.Subcommands.Add(Child("complete", "mark task to complete"));
        root.Subcommands.Add(Completion(root));
        root.Subcommands.Add(Child("event", "change event"));
        root.Subcommands.Add(Help(root));
        root.Subcommands.Add(Child("init", "mark task to active"));
        root.Subcommands.Add(Child("meter", "change meter"));
        root.Subcommands.Add(Ping());
        root.Subcommands.Add(Paths("requeue", "requeue given nodes", (c, p, ct) => c.RequeueAsync(p, ct)));
        root.Subcommands.Add(Paths("resume", "resume given nodes", (c, p, ct) => c.ResumeAsync(p, ct)));
        root.Subcommands.Add(Run());
        root.Subcommands.Add(Show());
        root.Subcommands.Add(Paths("suspend", "suspend given nodes", (c, p, ct) => c.SuspendAsync(p, ct)));

        root.Subcommands.Add(Alter());
        root.Subcommands.Add(Replace());
        root.Subcommands.Add(Begin());
        root.Subcommands.Add(Check());
        root.Subcommands.Add(Coroutine());
        root.Subcommands.Add(Delete());
        root.Subcommands.Add(Force());
        root.Subcommands.Add(FreeDep());
        root.Subcommands.Add(Paths("kill", "kill the jobs of given nodes", (c, p, ct) => c.KillAsync(p, ct)));
        root.Subcommands.Add(Child("label", "change label"));
        root.Subcommands.Add(Load());
        root.Subcommands.Add(Stats());
        root.Subcommands.Add(Checkpoint());
        root.Subcommands.Add(Export());
        root.Subcommands.Add(ServersCommand.Build());
        root.Subcommands.Add(Status());
        root.Subcommands.Add(Wait());
        root.Subcommands.Add(Why());
        root.Subcommands.Add(Zombies());
        return root;
    }

    /// <summary>Prints a click-style usage error on stderr and returns 2.</summary>
    public static int Usage(Command command, string message)
    {
        var name = command is RootCommand ? "takler_client" : $"takler_client {command.Name}";
        Console.Error.Write($"Usage: {name} [OPTIONS]{(command.Subcommands.Count > 0 ? " COMMAND [ARGS]..." : string.Empty)}\nTry '{name} --help' for help.\n\nError: {message}\n");
        return UsageError;
    }

    // ---- child commands ----

    private static Command Child(string name, string description)
    {
        var command = new Command(name, description);
        AddAddress(command);
        command.Options.Add(new Option<string>("--node-path") { Description = "node path, default from TAKLER_NAME" });
        var (nameOption, valueOption) = ChildCommandLine.OptionNames(name);
        if (nameOption is not null)
        {
            command.Options.Add(new Option<string>(nameOption) { Description = OptionDescription(nameOption) });
        }

        if (valueOption is not null)
        {
            command.Options.Add(new Option<string>(valueOption) { Description = OptionDescription(valueOption) });
        }

        var words = new Argument<string[]>(PositionalName(name)) { Arity = name == "complete" ? ArgumentArity.Zero : ArgumentArity.ZeroOrMore, Description = "short form of the options" };
        if (name != "complete")
        {
            command.Arguments.Add(words);
        }

        command.SetAction((result, ct) =>
        {
            var error = ChildInvocation.Resolve(
                name,
                nameOption is null ? null : result.GetValue<string>(nameOption),
                valueOption is null ? null : result.GetValue<string>(valueOption),
                name == "complete" ? [] : result.GetValue(words) ?? [],
                out var first,
                out var second);
            if (error is not null)
            {
                return Task.FromResult(Usage(command, error));
            }

            var nodePath = result.GetValue<string>("--node-path");
            if (nodePath is null && Environment.GetEnvironmentVariable(ChildCommandRunner.NameVariable) is null
                && Environment.GetEnvironmentVariable(ChildCommandRunner.NoTaklerVariable) is null)
            {
                return Task.FromResult(Usage(command, "Missing option '--node-path'."));
            }

            return ChildCommandRunner.RunAsync(new ChildInvocation(name, result.GetValue<string>("--host"), result.GetValue<string>("--port"), nodePath, first, second), ct);
        });
        return command;
    }

    private static string OptionDescription(string option) => option switch
    {
        "--task-id" => "job id (default: TAKLER_RID)",
        "--reason" => "why the task aborted",
        "--event-name" => "event name",
        "--meter-name" => "meter name",
        "--meter-value" => "meter value",
        "--label-name" => "label name",
        _ => "label text",
    };

    private static string PositionalName(string command) => command switch
    {
        "init" => "RID",
        "abort" => "REASON",
        "event" => "NAME",
        "meter" => "NAME VALUE",
        _ => "NAME TEXT",
    };

    // ---- control commands ----

    private static Command Paths(string name, string description, Func<TaklerServiceClient, string[], CancellationToken, Task> send)
    {
        var command = new Command(name, description);
        AddAddress(command);
        var paths = NodePaths();
        command.Arguments.Add(paths);
        command.SetAction((result, ct) => CommandExecution.RunCommandAsync(() => Address(result), (c, t) => send(c, result.GetValue(paths)!, t), ct));
        return command;
    }

    private static Command Run()
    {
        var command = new Command("run", "run the tasks, ignore triggers (and limits, unless --queue); with --wait, wait until they end");
        AddAddress(command);
        var force = new Option<bool>("--force") { Description = "also run submitted or active tasks" };
        var wait = new Option<bool>("--wait") { Description = "wait until every task is complete or aborted (default: return once the server accepted).\n" + RunExitCodes };
        var timeout = TimeoutOption();
        var parameters = new Option<string[]>("--param") { Description = "NAME=VALUE: a variable for the jobs of this run only (repeatable; not with --queue)", HelpName = "NAME=VALUE" };
        var queue = new Option<bool>("--queue")
        {
            Description = "requeue the tasks with their triggers and times freed, and let the scheduler submit each when its limits have tokens, highest TAKLER_PRIORITY first (default: submit at once, ignoring limits)",
        };
        var priority = new Option<string>("--priority")
        {
            Description = "with --queue: set N as each task's TAKLER_PRIORITY (an integer, higher goes first; it stays on the task)",
            HelpName = "N",
        };
        var paths = NodePaths();
        command.Options.Add(force);
        command.Options.Add(queue);
        command.Options.Add(priority);
        command.Options.Add(parameters);
        command.Options.Add(wait);
        command.Options.Add(timeout);
        command.Arguments.Add(paths);
        command.SetAction((result, ct) =>
        {
            var options = new RunOptions { Wait = result.GetValue(wait), Force = result.GetValue(force) };
            foreach (var pair in result.GetValue(parameters) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    return Task.FromResult(Usage(command, $"Invalid value for '--param': '{pair}' is not NAME=VALUE."));
                }

                options.Parameters[pair[..equals]] = pair[(equals + 1)..];
            }

            options.Queue = result.GetValue(queue);
            if (QueueError(options, result.GetValue(priority)) is { } queueError)
            {
                return Task.FromResult(Usage(command, queueError));
            }

            if (!options.Wait)
            {
                if (result.GetResult(timeout) is { Implicit: false })
                {
                    return Task.FromResult(Usage(command, "--timeout needs --wait."));
                }

                return options.Queue
                    ? CommandExecution.RunCommandAsync(() => Address(result), (c, t) => c.QueueAsync(result.GetValue(paths)!, options.Priority, t), ct)
                    : CommandExecution.RunCommandAsync(() => Address(result), (c, t) => c.RunAsync(result.GetValue(paths)!, options.Force, options.Parameters.AsReadOnly(), t), ct);
            }

            if (Seconds(result.GetValue(timeout), out var limit) is { } error)
            {
                return Task.FromResult(Usage(command, error));
            }

            options.Timeout = limit;
            return CommandExecution.RunAsync(() => Address(result), async (c, t) =>
                WaitText.Report(await c.RunAsync(result.GetValue(paths)!, options, t).ConfigureAwait(false), c.Address), ct);
        });
        return command;
    }

    /// <summary>Checks --queue, --priority and what they cannot go with; sets the priority; null when all is well.</summary>
    private static string? QueueError(RunOptions options, string? priority)
    {
        if (priority is not null)
        {
            if (!int.TryParse(priority, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return $"Invalid value for '--priority': '{priority}' is not an integer.";
            }

            if (!options.Queue)
            {
                return "--priority needs --queue (a plain run submits at once, so there is nothing to order).";
            }

            options.Priority = value;
        }

        if (!options.Queue)
        {
            return null;
        }

        if (options.Parameters.Count > 0)
        {
            return "--param cannot be given with --queue: parameters last for one submission, and a queued task is submitted later.";
        }

        return options.Force ? "--force cannot be given with --queue (submitted and active tasks are left alone)." : null;
    }

    private static Command Wait()
    {
        var command = new Command("wait", "wait until nodes reach a status (default: complete), without polling");
        AddAddress(command);
        var statuses = new Option<string>("--status") { Description = "the statuses to wait for, comma-separated, e.g. complete,aborted (default: complete)" };
        var timeout = TimeoutOption();
        timeout.Description += ".\n" + RunExitCodes;
        var paths = NodePaths();
        command.Options.Add(statuses);
        command.Options.Add(timeout);
        command.Arguments.Add(paths);
        command.SetAction((result, ct) =>
        {
            var statusError = WaitText.ParseStatuses(result.GetValue(statuses), out var wanted);
            var timeoutError = Seconds(result.GetValue(timeout), out var limit);
            if ((statusError ?? timeoutError) is { } error)
            {
                return Task.FromResult(Usage(command, error));
            }

            return CommandExecution.RunAsync(() => Address(result), async (c, t) =>
                WaitText.Report(await c.WaitAsync(result.GetValue(paths)!, wanted, limit, t).ConfigureAwait(false), c.Address), ct);
        });
        return command;
    }

    /// <summary>The exit codes of run --wait and wait, in their help (with the option, not in the list of commands).</summary>
    private const string RunExitCodes =
        "Exit codes: 0 every node got there (run: every task complete); " +
        "1 some task aborted (run), or the server refused the request; " +
        "4 server unreachable or lost, outcome unknown; 5 the timeout passed";

    private static Option<string> TimeoutOption() => new("--timeout") { Description = "give up after this many seconds (default: wait as long as it takes)", HelpName = "SECONDS" };

    /// <summary>A --timeout value in seconds (a decimal number, at least 0); null when not given. Returns the error, if any.</summary>
    private static string? Seconds(string? text, out TimeSpan? value)
    {
        value = null;
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds < 0 || double.IsInfinity(seconds))
        {
            return $"Invalid value for '--timeout': '{text}' is not a number of seconds (0 or more).";
        }

        value = TimeSpan.FromSeconds(seconds);
        return null;
    }

    private static Command Force()
    {
        var command = new Command("force", "force a status on nodes, or set/clear events (node:event)");
        AddAddress(command);
        AddSwitch(command, "recursive", "apply to every node below (default)");
        var state = new Argument<string>("STATE") { Description = "unknown|complete|queued|submitted|active|aborted|set|clear", HelpName = "STATE" };
        state.CompletionSources.Add("unknown", "complete", "queued", "submitted", "active", "aborted", "set", "clear");
        var paths = NodePaths("PATH");
        command.Arguments.Add(state);
        command.Arguments.Add(paths);
        command.SetAction((result, ct) =>
        {
            var text = result.GetValue(state)!;
            if (!ForceStates.TryGetValue(text, out var value))
            {
                return Task.FromResult(CommandExecution.Fail(TaklerClientException.Local("ValueError", $"Enum ForceState has no value defined for name '{text}'")));
            }

            var recursive = Switch(result, "recursive", true);
            return CommandExecution.RunCommandAsync(() => Address(result), (c, t) => c.ForceAsync(value, result.GetValue(paths)!, recursive, t), ct);
        });
        return command;
    }

    private static Command FreeDep()
    {
        var command = new Command("free-dep", "free nodes from their trigger or time dependencies");
        AddAddress(command);
        var depType = new Option<string>("--dep-type") { Description = "all|time|trigger" };
        depType.CompletionSources.Add("all", "time", "trigger");
        var paths = NodePaths();
        command.Options.Add(depType);
        command.Arguments.Add(paths);
        command.SetAction((result, ct) =>
        {
            // Takler sends the option's value through its enum; without the option that is the name 'True' (exit 3).
            var text = result.GetValue(depType) ?? "True";
            if (!DepTypes.TryGetValue(text, out var value))
            {
                return Task.FromResult(CommandExecution.Fail(TaklerClientException.Local("ValueError", $"Enum DepType has no value defined for name '{text}'")));
            }

            return CommandExecution.RunCommandAsync(() => Address(result), (c, t) => c.FreeDepAsync(value, result.GetValue(paths)!, t), ct);
        });
        return command;
    }

    private static Command Load()
    {
        var command = new Command("load", "load a flow from a .def or Takler JSON file (chosen by content)");
        AddAddress(command);
        var flowType = new Option<string>("--flow-type") { Description = "ignored: the format is chosen by content (Takler always sends json)" };
        var replace = new Option<bool>("--replace") { Description = ".def: replace flows that exist (JSON always replaces, as Takler)" };
        var file = new Argument<string>("FILE") { Description = "a .def file or Takler's Flow JSON" };
        command.Options.Add(flowType);
        command.Options.Add(replace);
        command.Arguments.Add(file);
        command.SetAction((result, ct) => CommandExecution.RunCommandAsync(() => Address(result), (c, t) => c.LoadAsync(result.GetValue(file)!, result.GetValue(replace), t), ct));
        return command;
    }

    private static Command Begin()
    {
        var command = new Command("begin", "begin a flow, or every flow");
        AddAddress(command);
        var force = new Option<bool>("--force") { Description = "begin even when already begun" };
        var flow = new Argument<string?>("FLOW_NAME") { Arity = ArgumentArity.ZeroOrOne, Description = "the flow (default: all)" };
        command.Options.Add(force);
        command.Arguments.Add(flow);
        command.SetAction((result, ct) => CommandExecution.RunCommandAsync(() => Address(result), (c, t) => c.BeginAsync(result.GetValue(flow), result.GetValue(force), t), ct));
        return command;
    }

    private static Command Delete()
    {
        var command = new Command("delete", "delete nodes");
        AddAddress(command);
        var force = new Option<bool>("--force") { Description = "also delete nodes with submitted or active tasks" };
        var paths = NodePaths();
        command.Options.Add(force);
        command.Arguments.Add(paths);
        command.SetAction((result, ct) => CommandExecution.RunCommandAsync(() => Address(result), (c, t) => c.DeleteAsync(result.GetValue(paths)!, result.GetValue(force), t), ct));
        return command;
    }

    // The proto enums' own names, which Takler's client looks the argument up by.
    private static readonly Dictionary<string, ForceState> ForceStates = new(StringComparer.Ordinal)
    {
        ["unknown"] = ForceState.Unknown,
        ["complete"] = ForceState.Complete,
        ["queued"] = ForceState.Queued,
        ["submitted"] = ForceState.Submitted,
        ["active"] = ForceState.Active,
        ["aborted"] = ForceState.Aborted,
        ["clear"] = ForceState.Clear,
        ["set"] = ForceState.Set,
    };

    private static readonly Dictionary<string, DepType> DepTypes = new(StringComparer.Ordinal)
    {
        ["all"] = DepType.All,
        ["trigger"] = DepType.Trigger,
        ["time"] = DepType.Time,
    };

    private static readonly Dictionary<string, AttributeKind> AlterKinds = new(StringComparer.Ordinal)
    {
        ["parameter"] = AttributeKind.Parameter,
        ["variable"] = AttributeKind.Parameter,
        ["event"] = AttributeKind.Event,
        ["meter"] = AttributeKind.Meter,
        ["label"] = AttributeKind.Label,
        ["trigger"] = AttributeKind.Trigger,
        ["complete"] = AttributeKind.Complete,
        ["limit"] = AttributeKind.Limit,
        ["in-limit"] = AttributeKind.InLimit,
        ["repeat"] = AttributeKind.Repeat,
        ["time"] = AttributeKind.Time,
        ["late"] = AttributeKind.Late,
        ["default-status"] = AttributeKind.DefaultStatus,
        ["limit-max"] = AttributeKind.LimitMax,
        ["limit-value"] = AttributeKind.LimitValue,
    };

    private static Command Alter()
    {
        var command = new Command("alter", "add, change or delete an attribute of nodes");
        AddAddress(command);
        var action = new Argument<string>("ACTION") { Description = "add|change|delete", HelpName = "ACTION" };
        action.AcceptOnlyFromAmong("add", "change", "delete");
        var kind = new Argument<string>("KIND") { Description = string.Join('|', AlterKinds.Keys), HelpName = "KIND" };
        kind.AcceptOnlyFromAmong([.. AlterKinds.Keys]);
        var paths = NodePaths();
        var name = new Option<string>("--name") { Description = "the attribute's name (none for trigger, complete, ...)" };
        var value = new Option<string>("--value") { Description = "the new value" };
        command.Arguments.Add(action);
        command.Arguments.Add(kind);
        command.Arguments.Add(paths);
        command.Options.Add(name);
        command.Options.Add(value);
        command.SetAction((result, ct) =>
        {
            var alterAction = result.GetValue(action) switch
            {
                "add" => AlterAction.Add,
                "change" => AlterAction.Change,
                _ => AlterAction.Delete,
            };
            return CommandExecution.RunCommandAsync(
                () => Address(result),
                (c, t) => c.AlterAsync(result.GetValue(paths)!, alterAction, AlterKinds[result.GetValue(kind)!], result.GetValue(name) ?? string.Empty, result.GetValue(value) ?? string.Empty, t),
                ct);
        });
        return command;
    }

    private static Command Replace()
    {
        var command = new Command("replace", "replace a node by the node of the same path in a .def or JSON file");
        AddAddress(command);
        var path = new Argument<string>("NODE_PATH") { Description = "the node to replace, e.g. /flow/family" };
        var file = new Argument<string>("FILE") { Description = "a .def file (or Takler JSON) that contains the node" };
        var parents = new Option<bool>("--create-parents") { Description = "add the node when it does not exist yet" };
        var force = new Option<bool>("--force") { Description = "replace even when tasks below are submitted or active" };
        command.Arguments.Add(path);
        command.Arguments.Add(file);
        command.Options.Add(parents);
        command.Options.Add(force);
        command.SetAction((result, ct) => CommandExecution.RunCommandAsync(
            () => Address(result),
            async (c, t) =>
            {
                var text = await File.ReadAllTextAsync(result.GetValue(file)!, t).ConfigureAwait(false);
                var format = text.TrimStart().StartsWith('{') ? DefinitionFormat.TaklerJson : DefinitionFormat.EcflowDef;
                await c.ReplaceAsync(result.GetValue(path)!, text, format, result.GetValue(parents), result.GetValue(force), t).ConfigureAwait(false);
            },
            ct));
        return command;
    }

    // ---- queries ----

    private static Command Ping() => Query(
        "ping",
        "ping server",
        async (c, json, t) =>
        {
            var elapsed = await c.PingAsync(t).ConfigureAwait(false);
            return json
                ? JsonOutput.Ping(new PingResult(c.Address.ToString(), c.Address.Host, c.Address.PortNumber, elapsed.TotalSeconds))
                : $"ping server ({c.Address}) succeeded in {PythonTimedelta.Format(elapsed)}.\n";
        });

    private static Command Show()
    {
        var command = new Command("show", "print state of all flows in server");
        AddAddress(command);
        AddSwitch(command, "show-trigger", "show triggers and times (default: off)");
        AddSwitch(command, "show-parameter", "show parameters (default: off)");
        AddSwitch(command, "show-limit", "show limits (default: on)");
        AddSwitch(command, "show-event", "show events (default: on)");
        AddSwitch(command, "show-meter", "show meters (default: on)");
        AddSwitch(command, "show-all", "show everything (default: off)");
        var json = new Option<bool>("--json") { Description = "print Takler's JSON instead (for programs)" };
        var path = new Argument<string?>("PATH") { Arity = ArgumentArity.ZeroOrOne, Description = "print only this subtree" };
        command.Options.Add(json);
        command.Arguments.Add(path);
        command.SetAction((result, ct) => CommandExecution.RunAsync(() => Address(result), async (c, t) =>
        {
            var payload = await c.ShowAsync(t).ConfigureAwait(false);
            var nodePath = result.GetValue(path);
            string text;
            try
            {
                if (result.GetValue(json))
                {
                    Console.Out.Write(ShowPrinter.ToJson(payload, nodePath) + "\n");
                    return 0;
                }

                var all = Switch(result, "show-all", false);
                var options = new PrintOptions
                {
                    ShowTrigger = all || Switch(result, "show-trigger", false),
                    ShowParameter = all || Switch(result, "show-parameter", false),
                    ShowLimit = all || Switch(result, "show-limit", true),
                    ShowEvent = all || Switch(result, "show-event", true),
                    ShowMeter = all || Switch(result, "show-meter", true),
                };
                text = ShowPrinter.ToText(payload, options, nodePath);
            }
            catch (Core.TaklerException e)
            {
                var type = e.Code switch
                {
                    Core.TaklerErrorCode.NodeNotFound => "NodeNotFoundError",
                    Core.TaklerErrorCode.InvalidRequest => "InvalidRequestError",
                    _ => "ServerResponseError",
                };
                throw TaklerClientException.Local(type, e.Message, c.Address, "show", nodePath is null ? [] : [nodePath], e);
            }

            Console.Out.Write(Console.IsOutputRedirected ? text : ShowPrinter.Colourise(text));
            return 0;
        }, ct));
        return command;
    }

    private static Command Status() => PathQuery(
        "status",
        "print a node's status, try number, job id, times and meters",
        async (c, path, json, t) =>
        {
            var status = await c.StatusAsync(path, t).ConfigureAwait(false);
            return json ? JsonOutput.Message(status) : QueryText.Status(status);
        });

    private static Command Why() => PathQuery(
        "why",
        "print why a node is not running, one reason per line",
        async (c, path, json, t) =>
        {
            var reasons = await c.WhyAsync(path, t).ConfigureAwait(false);
            return json
                ? JsonOutput.Strings(reasons)
                : string.Concat(reasons.Select(r => r + "\n"));
        });

    private static Command Zombies() => Query(
        "zombies",
        "list the zombies: path, command, reason",
        async (c, json, t) =>
        {
            var zombies = await c.ZombiesAsync(t).ConfigureAwait(false);
            if (!json)
            {
                return QueryText.Zombies(zombies);
            }

            var response = new ZombiesResponse();
            response.Zombies.AddRange(zombies);
            return JsonOutput.Message(response);
        });

    private static Command Stats() => Query(
        "stats",
        "print the server's version, uptime and counts",
        async (c, json, t) =>
        {
            var stats = await c.StatsAsync(t).ConfigureAwait(false);
            return json ? JsonOutput.Message(stats) : QueryText.Stats(stats);
        });

    /// <summary>A query command with `--json`: the text <paramref name="render"/> returns goes to standard output.</summary>
    private static Command Query(string name, string description, Func<TaklerServiceClient, bool, CancellationToken, Task<string>> render)
    {
        var command = new Command(name, description);
        AddAddress(command);
        var json = JsonOption();
        command.Options.Add(json);
        command.SetAction((result, ct) => CommandExecution.RunAsync(() => Address(result), async (c, t) =>
        {
            Console.Out.Write(await render(c, result.GetValue(json), t).ConfigureAwait(false));
            return 0;
        }, ct));
        return command;
    }

    /// <summary>A query command about one node (argument PATH) with `--json`.</summary>
    private static Command PathQuery(string name, string description, Func<TaklerServiceClient, string, bool, CancellationToken, Task<string>> render)
    {
        var command = new Command(name, description);
        AddAddress(command);
        var json = JsonOption();
        var path = new Argument<string>("PATH") { Description = "the node" };
        command.Options.Add(json);
        command.Arguments.Add(path);
        command.SetAction((result, ct) => CommandExecution.RunAsync(() => Address(result), async (c, t) =>
        {
            Console.Out.Write(await render(c, result.GetValue(path)!, result.GetValue(json), t).ConfigureAwait(false));
            return 0;
        }, ct));
        return command;
    }

    private static Command Checkpoint()
    {
        var command = new Command("checkpoint", "make the server write a snapshot of its state now");
        AddAddress(command);
        command.SetAction((result, ct) => CommandExecution.RunAsync(() => Address(result), async (c, t) =>
        {
            await c.CheckpointAsync(t).ConfigureAwait(false);
            return 0;
        }, ct));
        return command;
    }

    private static Command Export()
    {
        var command = new Command("export", "write the whole server state: .def with state (default) or our JSON");
        AddAddress(command);
        var json = new Option<bool>("--json") { Description = "our lossless JSON instead of .def text" };
        var output = new Argument<string?>("FILE") { Arity = ArgumentArity.ZeroOrOne, Description = "where to write it (default: standard output)" };
        command.Options.Add(json);
        command.Arguments.Add(output);
        command.SetAction((result, ct) => CommandExecution.RunAsync(() => Address(result), async (c, t) =>
        {
            var text = await c.ExportAsync(result.GetValue(json), t).ConfigureAwait(false);
            if (result.GetValue(output) is { Length: > 0 } file)
            {
                await File.WriteAllTextAsync(file, text, t).ConfigureAwait(false);
            }
            else
            {
                Console.Out.Write(text);
            }

            return 0;
        }, ct));
        return command;
    }

    private static Command Coroutine() => Query(
        "coroutine",
        "print the server's running coroutines",
        async (c, json, t) =>
        {
            var coroutines = await c.CoroutinesAsync(t).ConfigureAwait(false);
            if (json)
            {
                var response = new CoroutineResponse();
                response.Coroutines.AddRange(coroutines);
                return JsonOutput.Message(response);
            }

            return string.Concat(coroutines.Select(co => $"{co.Name}\t{co.Description}\n"));
        });

    // ---- local commands ----

    private static Command Check()
    {
        var command = new Command("check", "read and check .def or Takler JSON files without a server");
        AddAddress(command); // accepted everywhere, unused here
        var print = new Option<bool>("--print") { Description = "write the definitions back as .def text" };
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.OneOrMore, Description = "definition files" };
        command.Options.Add(print);
        command.Arguments.Add(files);
        command.SetAction(result => DefinitionCheck.Run(result.GetValue(files)!, result.GetValue(print), Console.Out));
        return command;
    }

    private static Command Completion(RootCommand root)
    {
        var command = new Command("completion", "Generate the autocompletion script for the specified shell");
        AddAddress(command);
        var shell = new Argument<string>("SHELL") { Description = "bash, zsh, fish or pwsh", HelpName = "SHELL" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish", "pwsh");
        command.Arguments.Add(shell);
        command.SetAction(result =>
        {
            Console.Out.Write(CompletionScripts.For(result.GetValue(shell)!, root));
            return 0;
        });
        return command;
    }

    private static Command Help(RootCommand root)
    {
        var command = new Command("help", "Help about any command");
        AddAddress(command);
        var name = new Argument<string?>("COMMAND") { Arity = ArgumentArity.ZeroOrOne };
        command.Arguments.Add(name);
        command.SetAction(result =>
        {
            var target = result.GetValue(name);
            if (target is not null && root.Subcommands.All(c => c.Name != target))
            {
                return Usage(command, $"No such command '{target}'.");
            }

            return root.Parse(target is null ? ["--help"] : [target, "--help"]).Invoke();
        });
        return command;
    }

    // ---- shared pieces ----

    private static void AddAddress(Command command)
    {
        command.Options.Add(new Option<string>("--host") { Description = "server host, or several for fail-over: host:port,host:port (default: TAKLER_HOST, else TAKLER_HOSTFILE's, else localhost)" });
        command.Options.Add(new Option<string>("--port") { Description = "server port (default: TAKLER_PORT, else 33083)" });
        ServerSelection.AddOptions(command);
    }

    private static ServerSelection Address(ParseResult result) => ServerSelection.Resolve(result);

    private static Argument<string[]> NodePaths(string name = "NODE_PATH") =>
        new(name) { Arity = ArgumentArity.OneOrMore, Description = "node paths" };

    private static Option<bool> JsonOption() => new("--json") { Description = "print JSON (for programs)" };

    /// <summary>A click-style on/off pair: <c>--x</c> and <c>--no-x</c>.</summary>
    private static void AddSwitch(Command command, string name, string description)
    {
        command.Options.Add(new Option<bool>("--" + name) { Description = description });
        command.Options.Add(new Option<bool>("--no-" + name) { Description = $"turn --{name} off" });
    }

    /// <summary>The value of an on/off pair: the last of the two given wins, else the default.</summary>
    private static bool Switch(ParseResult result, string name, bool defaultValue)
    {
        var options = result.CommandResult.Command.Options;
        var on = result.GetResult(options.First(o => o.Name == "--" + name)) is { Implicit: false };
        var off = result.GetResult(options.First(o => o.Name == "--no-" + name)) is { Implicit: false };
        if (on && off)
        {
            var tokens = result.Tokens.Select(t => t.Value).ToList();
            return tokens.LastIndexOf("--" + name) > tokens.LastIndexOf("--no-" + name);
        }

        return on ? result.GetValue<bool>("--" + name) : off ? !result.GetValue<bool>("--no-" + name) : defaultValue;
    }
}
