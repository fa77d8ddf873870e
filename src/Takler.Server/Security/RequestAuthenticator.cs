using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Takler.Protocol;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Server;
using Takler.Server.Storage;

namespace Takler.Server.Security;

/// <summary>
/// Decides, before any handler runs, whether a call may proceed (the router's authorization hook). With a users file:
/// a user proves who they are with a token or an HMAC-signed request in `takler-secret` (and `takler-user`), else
/// UNAUTHENTICATED; a user whose role is below the RPC's class gets PERMISSION_DENIED. Child commands are left to the
/// job password check, ping is open. Without a users file: every call from loopback is accepted, and from other hosts
/// only ping and child commands. Every refusal is written to the audit log.
/// </summary>
internal sealed class RequestAuthenticator
{
    private readonly UsersFile? _users;
    private readonly TimeProvider _time;
    private readonly Func<AuditLog?> _audit;
    private readonly NonceCache _nonces;

    public RequestAuthenticator(UsersFile? users, TimeProvider time, Func<AuditLog?> audit, TimeSpan? maxClockSkew = null)
    {
        _users = users;
        _time = time;
        _audit = audit;
        MaxClockSkew = maxClockSkew ?? TimeSpan.FromMinutes(5);
        _nonces = new NonceCache(time, MaxClockSkew);
    }

    /// <summary>How far a signed request's time may be from the server's clock. The default value is 5 minutes.</summary>
    public TimeSpan MaxClockSkew { get; }

    public ValueTask AuthorizeAsync(ServerCallContext context, IMessage request)
    {
        var access = RpcAccess.Of(context.Method, request);
        if (access is AccessClass.Public or AccessClass.Child)
        {
            // Child commands are proven by the job password, in the service (ChildCommandGuard).
            return ValueTask.CompletedTask;
        }

        if (_users is null)
        {
            if (!IsLoopback(context.Peer))
            {
                Refuse(context, null, StatusCode.Unauthenticated, "this server has no users file and accepts commands from its own host only");
            }

            return ValueTask.CompletedTask;
        }

        var claimed = context.GetRequestHeader(TaklerMetadataKeys.User);
        var secret = context.GetRequestHeader(TaklerMetadataKeys.Secret);
        if (string.IsNullOrEmpty(secret))
        {
            Refuse(context, claimed, StatusCode.Unauthenticated, "no credentials: send a token (--token or TAKLER_TOKEN)");
        }

        var user = RequestSignature.IsSigned(secret!)
            ? CheckSignature(context, claimed, secret!, request)
            : CheckToken(context, claimed, secret!);
        var needed = RpcAccess.RequiredRole(access)!.Value;
        if (user.Role < needed)
        {
            Refuse(context, user.Name, StatusCode.PermissionDenied, $"user {user.Name} has role {Name(user.Role)}; {MethodName(context)} needs {Name(needed)}");
        }

        context.User = user.Name;
        return ValueTask.CompletedTask;
    }

    private UserAccount CheckToken(ServerCallContext context, string? claimed, string token)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        UserAccount? found = null;
        foreach (var user in _users!.Users)
        {
            // Every user is compared, in constant time, so the time taken does not tell which token is near.
            if (user.TokenHash is { } stored && CryptographicOperations.FixedTimeEquals(stored, hash))
            {
                found = user;
            }
        }

        if (found is null || (!string.IsNullOrEmpty(claimed) && claimed != found.Name))
        {
            Refuse(context, claimed, StatusCode.Unauthenticated, "the token is not valid");
        }

        return found!;
    }

    private UserAccount CheckSignature(ServerCallContext context, string? claimed, string secret, IMessage request)
    {
        var user = _users!.Users.FirstOrDefault(u => u.Name == claimed && u.Key is not null);
        if (!RequestSignature.TryParse(secret, out var seconds, out var nonce, out var signature) || user is null)
        {
            Refuse(context, claimed, StatusCode.Unauthenticated, string.IsNullOrEmpty(claimed) ? "a signed request needs the user's name (takler-user)" : "the signature is not valid");
        }

        var now = _time.GetUtcNow();
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        if ((now - signedAt).Duration() > MaxClockSkew)
        {
            Refuse(context, claimed, StatusCode.Unauthenticated, $"the signature's time {signedAt:yyyy-MM-dd'T'HH:mm:ss'Z'} is more than {MaxClockSkew.TotalSeconds:0} s from the server's clock");
        }

        var expected = RequestSignature.Compute(user!.Key, user.Name, context.Method, seconds, nonce, request.ToByteArray());
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            Refuse(context, claimed, StatusCode.Unauthenticated, "the signature is not valid");
        }

        if (!_nonces.TryAdd(user.Name, nonce, signedAt))
        {
            Refuse(context, claimed, StatusCode.Unauthenticated, "the signed request was already used (replay)");
        }

        return user;
    }

    [DoesNotReturn]
    private void Refuse(ServerCallContext context, string? user, StatusCode status, string reason)
    {
        _audit()?.Record(new AuditEntry(
            _time.GetUtcNow(),
            context.Peer,
            string.IsNullOrEmpty(user) ? null : user,
            MethodName(context),
            [],
            status == StatusCode.Unauthenticated ? "unauthenticated" : "permission denied",
            (int)Core.TaklerErrorCode.PermissionDenied,
            reason));
        throw new RpcException(status, reason);
    }

    private static string MethodName(ServerCallContext context) => context.Method[(context.Method.LastIndexOf('/') + 1)..];

    private static string Name(UserRole role) => role switch
    {
        UserRole.Read => "read",
        UserRole.Operate => "operate",
        _ => "admin",
    };

    /// <summary>Whether a peer (`ipv4:127.0.0.1:5000`, `ipv6:[::1]:5000`) is this host's loopback.</summary>
    internal static bool IsLoopback(string peer)
    {
        var text = peer.StartsWith("ipv6:[", StringComparison.Ordinal) && peer.IndexOf(']', StringComparison.Ordinal) is var end and > 6
            ? peer[6..end]
            : peer.StartsWith("ipv4:", StringComparison.Ordinal) && peer.LastIndexOf(':') is var colon and > 5
                ? peer[5..colon]
                : null;
        return text is not null && IPAddress.TryParse(text, out var address)
            && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }
}
