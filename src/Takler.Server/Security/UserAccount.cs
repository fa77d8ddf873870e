namespace Takler.Server.Security;

/// <summary>One user of users.json: a name, a role, and either a token (kept as its SHA-256) or an HMAC key.</summary>
/// <param name="Name">The user's name, as sent in `takler-user` and written to the audit log.</param>
/// <param name="Role">What the user may do.</param>
/// <param name="TokenHash">SHA-256 of the user's token; null for a user who signs with a key.</param>
/// <param name="Key">The key of HMAC-signed requests; null for a user with a token.</param>
public sealed record UserAccount(string Name, UserRole Role, byte[]? TokenHash, byte[]? Key);
