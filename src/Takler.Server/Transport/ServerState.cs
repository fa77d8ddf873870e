using System.Collections.Concurrent;
using Takler.Server.Zombies;

namespace Takler.Server.Transport;

/// <summary>Server-wide facts the service reports: start time, counters, zombies.</summary>
internal sealed class ServerState
{
    public const string Version = "0.1.0";

    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);

    public long ChildCommands;

    public ServerState(DateTimeOffset startedAt, ZombieList zombies, ChildCommandGuard childGuard)
    {
        StartedAt = startedAt;
        Zombies = zombies;
        ChildGuard = childGuard;
    }

    public DateTimeOffset StartedAt { get; }

    /// <summary>The server's clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ZombieList Zombies { get; }

    public ChildCommandGuard ChildGuard { get; }

    /// <summary>The audit trail, when on.</summary>
    public Storage.AuditLog? Audit { get; set; }

    public IEnumerable<KeyValuePair<string, long>> RequestsByMethod => _requests;

    public void Count(string method) => _requests.AddOrUpdate(method, 1, (_, n) => n + 1);
}
