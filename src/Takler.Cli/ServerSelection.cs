using System.CommandLine;
using System.Globalization;
using Takler.Client;

namespace Takler.Cli;

/// <summary>
/// The servers a command goes to and the credentials it sends: `--host`/`--port` (one server, Takler's way), or
/// `--server NAME|HOST:PORT` (repeatable) and `--all` (every registered server); `--token`/`--user`, else
/// TAKLER_TOKEN/TAKLER_USER/TAKLER_KEY.
/// </summary>
/// <param name="Servers">With `--server`/`--all`, the servers the command goes to, each once; else the one server of
/// `--host`/`--port` (or TAKLER_HOST, TAKLER_HOSTFILE) followed by its fail-over alternates.</param>
/// <param name="Labels">How each pooled server is named in the output; empty for one server.</param>
/// <param name="Credentials">What the user sends, or null.</param>
/// <param name="FailOver">Whether <paramref name="Servers"/> are alternates of one server rather than a pool.</param>
internal sealed record ServerSelection(List<ServerAddress> Servers, IReadOnlyList<string> Labels, TaklerCredentials? Credentials, bool FailOver = false)
{
    /// <summary>Whether the command prints JSON (`--json`): the answers of several servers are then one JSON document.</summary>
    public bool Json { get; init; }

    /// <summary>Adds `--server`, `--all`, `--token` and `--user` to a command.</summary>
    public static void AddOptions(Command command)
    {
        command.Options.Add(new Option<string[]>("--server")
        {
            Description = "a registered server's name or HOST:PORT; repeat it to send the command to several servers at once",
            AllowMultipleArgumentsPerToken = false,
        });
        command.Options.Add(new Option<bool>("--all") { Description = "send the command to every registered server (takler_client servers)" });
        command.Options.Add(new Option<string>("--token") { Description = "the user's token (default: TAKLER_TOKEN)" });
        command.Options.Add(new Option<string>("--user") { Description = "the user's name (default: TAKLER_USER)" });
    }

    /// <summary>
    /// Resolves the options; a name that is not registered, or `--server` mixed with `--host`, throws
    /// <see cref="TaklerClientException"/> with the reason.
    /// </summary>
    public static ServerSelection Resolve(ParseResult result)
    {
        var host = result.GetValue<string>("--host");
        var port = result.GetValue<string>("--port");
        var names = result.GetValue<string[]>("--server") ?? [];
        var all = result.GetValue<bool>("--all");
        var credentials = ResolveCredentials(result.GetValue<string>("--token"), result.GetValue<string>("--user"));
        if (names.Length == 0 && !all)
        {
            return new ServerSelection([.. ServerAddress.ResolveAll(host, port)], [], credentials, FailOver: true);
        }

        var json = result.CommandResult.Command.Options.Any(o => o.Name == "--json") && result.GetValue<bool>("--json");

        if (host is not null || port is not null)
        {
            throw TaklerClientException.Local("ValueError", "--server and --all name the servers: do not combine them with --host or --port");
        }

        var registry = ServerRegistry.ForCurrentUser();
        var servers = new List<ServerAddress>();
        var labels = new List<string>();
        if (all)
        {
            var registered = registry.Read();
            if (registered.Count == 0)
            {
                throw TaklerClientException.Local("ValueError", $"--all: no server is registered in {registry.FilePath}");
            }

            foreach (var s in registered.Where(s => !servers.Contains(s.Address)))
            {
                servers.Add(s.Address);
                labels.Add($"{s.Name} ({s.Address})");
            }
        }

        foreach (var name in names)
        {
            var address = Lookup(registry, name);
            if (servers.Contains(address))
            {
                continue; // named twice, or also by --all: one request is enough
            }

            servers.Add(address);
            labels.Add(address.ToString() == name ? name : $"{name} ({address})");
        }

        return new ServerSelection(servers, labels, credentials) { Json = json };
    }

    /// <summary>A registered name, else `HOST:PORT`.</summary>
    public static ServerAddress Lookup(ServerRegistry registry, string name)
    {
        if (registry.Find(name) is { } registered)
        {
            return registered.Address;
        }

        var colon = name.LastIndexOf(':');
        if (colon > 0 && int.TryParse(name.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535)
        {
            return new ServerAddress(name[..colon], name[(colon + 1)..]);
        }

        throw TaklerClientException.Local("ValueError", $"--server {name}: no server of that name is registered in {registry.FilePath} (see takler_client servers), and it is not HOST:PORT");
    }

    private static TaklerCredentials? ResolveCredentials(string? token, string? user)
    {
        var fromEnvironment = TaklerCredentials.FromEnvironment(Environment.GetEnvironmentVariable);
        if (!string.IsNullOrEmpty(token))
        {
            return new TaklerCredentials(user ?? fromEnvironment?.User ?? Environment.GetEnvironmentVariable(TaklerCredentials.UserVariable), token);
        }

        return user is null || fromEnvironment is null ? fromEnvironment : fromEnvironment with { User = user };
    }
}
