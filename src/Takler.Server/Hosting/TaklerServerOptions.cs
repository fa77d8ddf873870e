using Takler.Server.Storage;

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

    /// <summary>The largest request message accepted, but by the definition loads. The default value is 4 MiB, gRPC's own.</summary>
    public int MaxReceiveMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// The largest definition load (`load` of a .def or Takler JSON, `replace`) accepted. The default value is 256 MiB:
    /// a 100,000-task .def is about 15 MiB.
    /// </summary>
    public int MaxDefinitionMessageSize { get; init; } = 256 * 1024 * 1024;

    /// <summary>
    /// Keep the state durable in a SQLite database (<see cref="DatabasePath"/>): restored at start, every batch of
    /// commands committed before its replies. The default value is false, for embedding and tests; `takler_server`
    /// turns it on unless given `--no-storage`.
    /// </summary>
    public bool Storage { get; init; }

    /// <summary>
    /// The state database. The default value is null: `takler.db` in <see cref="Home"/>. `:memory:` keeps it in
    /// memory (every code path of storage, nothing survives the process).
    /// </summary>
    public string? DatabasePath { get; init; }

    /// <summary>How far a commit goes before the reply. The default value is <see cref="StorageSynchronous.Normal"/>.</summary>
    public StorageSynchronous StorageSynchronous { get; init; } = StorageSynchronous.Normal;

    /// <summary>When the journal is folded into a new snapshot. The default value is every 10,000 records or 10 minutes.</summary>
    public SnapshotPolicy Snapshots { get; init; } = new();

    /// <summary>
    /// Append every command from every client (who, from where, what, which paths, outcome) as a JSON line to
    /// <see cref="AuditLogPath"/>. The default value is false; `takler_server` turns it on unless given `--no-audit`.
    /// </summary>
    public bool AuditLog { get; init; }

    /// <summary>The audit log. The default value is null: `audit.log` in <see cref="Home"/>.</summary>
    public string? AuditLogPath { get; init; }

    /// <summary>
    /// The users and their roles (see <see cref="Security.UsersFile"/>). The default value is null: `users.json` in
    /// <see cref="Home"/> when it exists; with no users file every command is accepted from loopback only.
    /// </summary>
    public string? UsersFile { get; init; }

    /// <summary>The users file to read: <see cref="UsersFile"/>, else `users.json` in <see cref="Home"/> when it exists.</summary>
    public string? ResolvedUsersFile => !string.IsNullOrEmpty(UsersFile) ? UsersFile
        : File.Exists(System.IO.Path.Combine(Home, Security.UsersFile.DefaultFileName)) ? System.IO.Path.Combine(Home, Security.UsersFile.DefaultFileName)
        : null;

    /// <summary>The state database's path as configured (null when storage is off).</summary>
    public string? ResolvedDatabasePath => !Storage ? null
        : string.IsNullOrEmpty(DatabasePath) ? System.IO.Path.Combine(Home, "takler.db")
        : DatabasePath;

    /// <summary>The audit log's path as configured (null when the audit log is off).</summary>
    public string? ResolvedAuditLogPath => !AuditLog ? null
        : string.IsNullOrEmpty(AuditLogPath) ? System.IO.Path.Combine(Home, "audit.log")
        : AuditLogPath;
}
