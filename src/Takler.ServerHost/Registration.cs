using Microsoft.Extensions.Logging;
using Takler.Client;

namespace Takler.ServerHost;

/// <summary>A server's entry in the <see cref="ServerRegistry"/>, made at start (`--name`) and removed at a clean stop.</summary>
internal sealed partial class Registration
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    private readonly ServerRegistry _registry;
    private readonly RegisteredServer _entry;

    private Registration(ServerRegistry registry, RegisteredServer entry)
    {
        _registry = registry;
        _entry = entry;
    }

    /// <summary>
    /// Prunes entries whose servers do not answer, then registers this server. A name held by a server that answers is
    /// refused (<see cref="TaklerClientException"/>), so two live servers never share a name.
    /// </summary>
    public static async Task<Registration> RegisterAsync(string name, string host, int port, ILogger logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw TaklerClientException.Local("ValueError", "--name: the name is empty");
        }

        var registry = ServerRegistry.ForCurrentUser();
        await registry.PruneAsync(PingTimeout, cancellationToken).ConfigureAwait(false);
        var entry = new RegisteredServer(name, host, port, TimeProvider.System.GetUtcNow(), Environment.ProcessId);
        if (registry.RegisterUnlessTaken(entry) is { } other)
        {
            throw TaklerClientException.Local("RegistryError", $"name {name} is registered in {registry.FilePath} by a server that answers at {other.Host}:{other.Port} (pid {other.Pid})");
        }

        LogRegistered(logger, name, registry.FilePath);
        return new Registration(registry, entry);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "registered as {Name} in {Registry}")]
    private static partial void LogRegistered(ILogger logger, string name, string registry);

    /// <summary>Removes the entry, if it is still this process's.</summary>
    public void Remove() => _registry.Unregister(_entry.Name, _entry.Pid);
}
