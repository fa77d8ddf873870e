namespace Takler.Client;

/// <summary>One server in the <see cref="ServerRegistry"/>: where a named server listens, since when, and its process.</summary>
/// <param name="Name">The name it was started with (`takler_server --name NAME`).</param>
/// <param name="Host">The host clients reach it at.</param>
/// <param name="Port">Its gRPC port.</param>
/// <param name="StartTime">When it started (UTC).</param>
/// <param name="Pid">Its process id.</param>
public sealed record RegisteredServer(string Name, string Host, int Port, DateTimeOffset StartTime, int Pid)
{
    /// <summary>The server's address.</summary>
    public ServerAddress Address => new(Host, Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
