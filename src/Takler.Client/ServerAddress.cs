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

    /// <summary>The port as a number; throws <see cref="TaklerClientException"/> (exit 3) when it is not one.</summary>
    public int PortNumber =>
        int.TryParse(Port.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535
            ? number
            : throw TaklerClientException.Local("ValueError", $"invalid port: '{Port}'", this);

    /// <summary><c>host:port</c>, as Takler prints it.</summary>
    public override string ToString() => $"{Host}:{Port}";
}
