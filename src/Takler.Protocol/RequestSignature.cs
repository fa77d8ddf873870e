using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Takler.Protocol;

/// <summary>
/// The HMAC-signed form of the <c>takler-secret</c> metadata, for users who hold a key instead of a token:
/// <c>hmac-sha256 t=&lt;unix seconds&gt; n=&lt;nonce&gt; sig=&lt;base64&gt;</c>. The signature is HMAC-SHA256 with the
/// user's key over <c>takler-v1\n&lt;user&gt;\n&lt;method path&gt;\n&lt;t&gt;\n&lt;nonce&gt;\n&lt;hex SHA-256 of the request
/// message's protobuf encoding&gt;</c>, so a signature is good for one user, one RPC, one request body and a short time.
/// </summary>
public static class RequestSignature
{
    /// <summary>The scheme word that starts a signed <c>takler-secret</c>.</summary>
    public const string Scheme = "hmac-sha256";

    /// <summary>Signs a request: the <c>takler-secret</c> value to send.</summary>
    public static string Create(ReadOnlySpan<byte> key, string user, string method, long unixSeconds, string nonce, ReadOnlySpan<byte> body)
    {
        var signature = Compute(key, user, method, unixSeconds, nonce, body);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme} t={unixSeconds} n={nonce} sig={Convert.ToBase64String(signature)}");
    }

    /// <summary>The HMAC of a request's signed text.</summary>
    public static byte[] Compute(ReadOnlySpan<byte> key, string user, string method, long unixSeconds, string nonce, ReadOnlySpan<byte> body)
    {
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"takler-v1\n{user}\n{method}\n{unixSeconds}\n{nonce}\n{Convert.ToHexStringLower(SHA256.HashData(body))}");
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>A fresh random nonce (16 bytes, base64url).</summary>
    public static string NewNonce() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Whether a <c>takler-secret</c> value is in the signed form (rather than a plain token).</summary>
    public static bool IsSigned(string secret) => secret.StartsWith(Scheme + " ", StringComparison.Ordinal);

    /// <summary>Reads a signed <c>takler-secret</c>; false when any part is missing or malformed.</summary>
    public static bool TryParse(string secret, out long unixSeconds, out string nonce, out byte[] signature)
    {
        unixSeconds = 0;
        nonce = string.Empty;
        signature = [];
        if (!IsSigned(secret))
        {
            return false;
        }

        string? t = null, n = null, sig = null;
        foreach (var part in secret[(Scheme.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return false;
            }

            var value = part[(eq + 1)..];
            switch (part[..eq])
            {
                case "t": t = value; break;
                case "n": n = value; break;
                case "sig": sig = value; break;
                default: return false;
            }
        }

        if (t is null || n is not { Length: >= 8 and <= 64 } || sig is null
            || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out unixSeconds))
        {
            return false;
        }

        var bytes = new byte[32];
        if (!Convert.TryFromBase64String(sig, bytes, out var written) || written != 32)
        {
            return false;
        }

        nonce = n;
        signature = bytes;
        return true;
    }
}
