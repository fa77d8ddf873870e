using Google.Protobuf;
using Takler.Protocol;
using Takler.Protocol.Grpc;

namespace Takler.Client;

/// <summary>
/// Who the client is to a server that has users: a token, or a key that signs each request (HMAC-SHA256 over the
/// user, the RPC, the time, a nonce and the request body; see <see cref="RequestSignature"/>). Sent as the
/// `takler-user` and `takler-secret` metadata. Child commands prove themselves with the job password instead.
/// </summary>
/// <param name="User">The user's name; needed with a key, optional with a token.</param>
/// <param name="Token">The user's token, or null.</param>
/// <param name="Key">The user's signing key, or null; used when there is no token.</param>
public sealed record TaklerCredentials(string? User, string? Token, string? Key = null)
{
    /// <summary>The environment variable holding the user's name.</summary>
    public const string UserVariable = "TAKLER_USER";

    /// <summary>The environment variable holding the token.</summary>
    public const string TokenVariable = "TAKLER_TOKEN";

    /// <summary>The environment variable holding the signing key.</summary>
    public const string KeyVariable = "TAKLER_KEY";

    /// <summary>The credentials in TAKLER_USER, TAKLER_TOKEN and TAKLER_KEY; null when neither a token nor a key is set.</summary>
    public static TaklerCredentials? FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var token = environment(TokenVariable);
        var key = environment(KeyVariable);
        return string.IsNullOrEmpty(token) && string.IsNullOrEmpty(key)
            ? null
            : new TaklerCredentials(NullIfEmpty(environment(UserVariable)), NullIfEmpty(token), NullIfEmpty(key));
    }

    /// <summary>The metadata for one call: the user, and the token or a fresh signature of this request.</summary>
    public Metadata Headers(string methodPath, IMessage request, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(time);
        var headers = new Metadata();
        if (!string.IsNullOrEmpty(User))
        {
            headers.Add(TaklerMetadataKeys.User, User);
        }

        if (!string.IsNullOrEmpty(Token))
        {
            headers.Add(TaklerMetadataKeys.Secret, Token);
        }
        else if (!string.IsNullOrEmpty(Key))
        {
            if (string.IsNullOrEmpty(User))
            {
                throw TaklerClientException.Local("ValueError", $"a signing key ({KeyVariable}) needs the user's name ({UserVariable} or --user)");
            }

            headers.Add(TaklerMetadataKeys.Secret, RequestSignature.Create(
                System.Text.Encoding.UTF8.GetBytes(Key),
                User,
                methodPath,
                time.GetUtcNow().ToUnixTimeSeconds(),
                RequestSignature.NewNonce(),
                request.ToByteArray()));
        }

        return headers;
    }

    /// <summary>Shows the user only: a token or key never reaches logs.</summary>
    public override string ToString() => $"TaklerCredentials {{ User = {User}, {(Token is null ? "Key" : "Token")} = *** }}";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
