namespace Takler.Server.Storage;

/// <summary>One command from one client, as the audit log records it.</summary>
/// <param name="Time">When the outcome was known (UTC).</param>
/// <param name="Peer">Where the call came from (the transport's peer address).</param>
/// <param name="User">The `takler-user` metadata, or null when the client sent none.</param>
/// <param name="Command">The command (`requeue`, `meter`, ...).</param>
/// <param name="Paths">The node paths it named.</param>
/// <param name="Detail">Its arguments in a few words (`step=3`), or null.</param>
/// <param name="Flag">The outcome flag: 0 for success, else the error code.</param>
/// <param name="Message">The error message, or null on success.</param>
public sealed record AuditEntry(
    DateTimeOffset Time,
    string Peer,
    string? User,
    string Command,
    IReadOnlyList<string> Paths,
    string? Detail,
    int Flag,
    string? Message);
