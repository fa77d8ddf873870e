using System.Globalization;

namespace Takler.Client;

/// <summary>
/// Where the server is: a host and a port, kept as text as Takler keeps them (<c>TAKLER_PORT</c> may hold anything;
/// it is checked when a channel is made). Resolution order, highest first (takler-compat §4.6): explicit values
/// (<c>--host</c>/<c>--port</c>), the connect file (<c>TAKLER_CONNECT_FILE</c>), <c>TAKLER_HOST</c>/<c>TAKLER_PORT</c>
/// (even when empty), <c>localhost:33083</c>.
/// </summary>
public sealed record ServerAddress(string Host, string Port)
{
    /// <summary>Takler's default host.</summary>
    public const string DefaultHost = "localhost";

    /// <summary>Takler's default port.</summary>
    public const string DefaultPort = "33083";

    /// <summary>The environment variable naming the host.</summary>
    public const string HostVariable = "TAKLER_HOST";

    /// <summary>The environment variable naming the port.</summary>
    public const string PortVariable = "TAKLER_PORT";

    /// <summary>The environment variable naming a host file: one <c>host[:port]</c> per line, <c>#</c> comments.</summary>
    public const string HostFileVariable = "TAKLER_HOSTFILE";

    /// <summary><c>localhost:33083</c>.</summary>
    public static ServerAddress Default { get; } = new(DefaultHost, DefaultPort);

    /// <summary>
    /// Resolves host and port independently: an explicit non-null value wins, then the connect file named by
    /// <c>TAKLER_CONNECT_FILE</c> (which sets both), then <c>TAKLER_HOST</c>/<c>TAKLER_PORT</c> when present (even
    /// empty), then the default. <paramref name="environment"/> defaults to the process environment. A bad connect
    /// file throws <see cref="TaklerClientException"/> (exit 3).
    /// </summary>
    public static ServerAddress Resolve(string? host = null, string? port = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var fromEnvironment = new ServerAddress(environment(HostVariable) ?? DefaultHost, environment(PortVariable) ?? DefaultPort);
        if ((host is null || port is null) && environment(ConnectFile.Variable) is { } file)
        {
            fromEnvironment = ConnectFile.Read(file);
        }

        return new ServerAddress(host ?? fromEnvironment.Host, port ?? fromEnvironment.Port);
    }

    /// <summary>
    /// Every server to try, in order (Gearman's server list, ecFlow's host file): the host resolved as
    /// <see cref="Resolve"/> may list several, <c>host:port,host:port</c> (a host without a port takes the resolved
    /// port); then the servers of the file named by <c>TAKLER_HOSTFILE</c>, unless a host was given explicitly. When
    /// only the host file is set, its servers alone are used. A bad host file throws <see cref="TaklerClientException"/>.
    /// </summary>
    public static IReadOnlyList<ServerAddress> ResolveAll(string? host = null, string? port = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var primary = Resolve(host, port, environment);
        var hostFile = host is null ? environment(HostFileVariable) : null;
        var addresses = new List<ServerAddress>();
        var onlyHostFile = hostFile is { Length: > 0 } && environment(HostVariable) is null && environment(ConnectFile.Variable) is null;
        if (!onlyHostFile)
        {
            addresses.AddRange(ParseList(primary.Host, primary.Port, HostVariable));
        }

        if (hostFile is { Length: > 0 })
        {
            foreach (var address in ReadHostFile(hostFile, primary.Port))
            {
                if (!addresses.Contains(address))
                {
                    addresses.Add(address);
                }
            }
        }

        return addresses.Count > 0 ? addresses : [primary];
    }

    /// <summary>
    /// The servers of a host list, <c>host[:port],host[:port]</c>; a host without a port takes
    /// <paramref name="defaultPort"/>. A single host without a comma or colon is kept as it is (even empty).
    /// </summary>
    public static IReadOnlyList<ServerAddress> ParseList(string hosts, string defaultPort, string source = HostVariable)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (!hosts.Contains(',', StringComparison.Ordinal) && !hosts.Contains(':', StringComparison.Ordinal))
        {
            return [new ServerAddress(hosts, defaultPort)];
        }

        var addresses = new List<ServerAddress>();
        foreach (var item in hosts.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            addresses.Add(ParseOne(item, defaultPort, source));
        }

        return addresses;
    }

    /// <summary>The servers of a host file: one <c>host[:port]</c> per line; blank lines and <c>#</c> comments are skipped.</summary>
    public static IReadOnlyList<ServerAddress> ReadHostFile(string path, string defaultPort)
    {
        ArgumentNullException.ThrowIfNull(path);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TaklerClientException.Local("FileNotFoundError", $"{HostFileVariable}: cannot read host file '{path}': {e.Message}", innerException: e);
        }

        var addresses = new List<ServerAddress>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var comment = line.IndexOf('#', StringComparison.Ordinal);
            var text = (comment >= 0 ? line[..comment] : line).Trim();
            if (text.Length > 0)
            {
                addresses.Add(ParseOne(text, defaultPort, $"{path}:{i + 1}"));
            }
        }

        return addresses;
    }

    /// <summary><c>host</c>, <c>host:port</c> or <c>[ipv6]:port</c>; <paramref name="source"/> names where it came from in errors.</summary>
    private static ServerAddress ParseOne(string text, string defaultPort, string source)
    {
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var end = text.IndexOf(']', StringComparison.Ordinal);
            if (end < 0)
            {
                throw TaklerClientException.Local("ValueError", $"{source}: '{text}' has no closing ']'");
            }

            host = text[1..end];
            if (end + 1 < text.Length)
            {
                port = text[(end + 1)..].StartsWith(':') ? text[(end + 2)..] : throw TaklerClientException.Local("ValueError", $"{source}: expected ':port' after ']' in '{text}'");
            }
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            port = text[(colon + 1)..];
        }
        else
        {
            host = text;
        }

        var address = new ServerAddress(host.Trim(), port?.Trim() ?? defaultPort);
        if (address.Host.Length == 0 || !int.TryParse(address.Port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw TaklerClientException.Local("ValueError", $"{source}: '{text}' is not host[:port] with a port from 1 to 65535");
        }

        return address;
    }

    /// <summary>The port as a number; throws <see cref="TaklerClientException"/> (exit 3) when it is not one.</summary>
    public int PortNumber =>
        int.TryParse(Port.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535
            ? number
            : throw TaklerClientException.Local("ValueError", $"invalid port: '{Port}'", this);

    /// <summary><c>host:port</c>, as Takler prints it.</summary>
    public override string ToString() => $"{Host}:{Port}";
}
