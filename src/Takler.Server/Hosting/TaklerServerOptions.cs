namespace Takler.Server.Hosting;

/// <summary>Settings of a <see cref="TaklerServer"/>; `takler_server`'s options map onto these.</summary>
public sealed record TaklerServerOptions
{
    /// <summary>The host name announced to jobs (TAKLER_HOST). The default value is `localhost`.</summary>
    public string Host { get; init; } = "localhost";

    /// <summary>The port to listen on (all interfaces, as Takler). The default value is 33083.</summary>
    public int Port { get; init; } = 33083;

    /// <summary>Listen on loopback only rather than on every interface. The default value is false.</summary>
    public bool LoopbackOnly { get; init; }

    /// <summary>The server's home (TAKLER_HOME): jobs, outputs. The default value is the current directory.</summary>
    public string Home { get; init; } = ".";

    /// <summary>The safety-net scheduling pass. The default value is 10 seconds.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Accept child commands that carry no job password (Takler's own clients). The default value is false.</summary>
    public bool AllowPasswordlessChild { get; init; }

    /// <summary>The largest request message accepted. The default value is 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; init; } = 4 * 1024 * 1024;
}
