using System.Text;

namespace Takler.Protocol.Grpc;

/// <summary>
/// One metadata key/value pair. Keys are lower-case header names; keys ending in <c>-bin</c>
/// carry bytes (base64 on the wire), others carry printable ASCII (PROTOCOL-HTTP2.md, Custom-Metadata).
/// </summary>
public sealed class MetadataEntry
{
    private readonly string? _value;
    private readonly byte[]? _valueBytes;

    /// <summary>Creates an ASCII entry. The key must not end with <c>-bin</c> nor start with the reserved <c>grpc-</c>.</summary>
    public MetadataEntry(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Key = ValidateKey(key, binary: false);
        if (!IsAsciiValue(value))
        {
            throw new ArgumentException($"Metadata value for '{Key}' must be printable ASCII (0x20-0x7E).", nameof(value));
        }

        _value = value;
    }

    /// <summary>Creates a binary entry. The key must end with <c>-bin</c>.</summary>
    public MetadataEntry(string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Key = ValidateKey(key, binary: true);
        _valueBytes = value;
    }

    private MetadataEntry(string normalizedKey, string? value, byte[]? valueBytes)
    {
        Key = normalizedKey;
        _value = value;
        _valueBytes = valueBytes;
    }

    /// <summary>The lower-case key.</summary>
    public string Key { get; }

    /// <summary>True when the key ends with <c>-bin</c>.</summary>
    public bool IsBinary => _valueBytes is not null;

    /// <summary>The ASCII value; for a binary entry, its unpadded base64 form as sent on the wire.</summary>
    public string Value => _value ?? Base64Unpadded(_valueBytes!);

    /// <summary>The binary value; for an ASCII entry, the ASCII bytes of <see cref="Value"/>.</summary>
    public byte[] ValueBytes => _valueBytes ?? Encoding.ASCII.GetBytes(_value!);

    /// <summary>Builds an entry from a received header without validation (the spec says not to error on them).</summary>
    internal static MetadataEntry? FromWire(string key, string value)
    {
        var normalized = key.ToLowerInvariant();
        if (!normalized.EndsWith(GrpcProtocol.BinaryHeaderSuffix, StringComparison.Ordinal))
        {
            return new MetadataEntry(normalized, value, valueBytes: null);
        }

        // Binary values may arrive padded or unpadded, and duplicates joined with ",".
        // A value that is not base64 is dropped.
        return TryDecodeBase64(value, out var bytes) ? new MetadataEntry(normalized, value: null, bytes) : null;
    }

    internal static bool IsAsciiValue(string value)
    {
        foreach (var c in value)
        {
            if (c < 0x20 || c > 0x7E)
            {
                return false;
            }
        }

        return true;
    }

    internal static string Base64Unpadded(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static string ValidateKey(string key, bool binary)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var normalized = key.ToLowerInvariant();
        foreach (var c in normalized)
        {
            // Header-Name -> 1*( %x30-39 / %x61-7A / "_" / "-" / "." )
            if (!(c is >= '0' and <= '9' or >= 'a' and <= 'z' or '_' or '-' or '.'))
            {
                throw new ArgumentException($"Metadata key '{key}' may contain only 0-9, a-z, '_', '-' and '.'.", nameof(key));
            }
        }

        if (normalized.StartsWith("grpc-", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Metadata key '{key}' is reserved: 'grpc-' keys belong to the protocol.", nameof(key));
        }

        var isBinaryKey = normalized.EndsWith(GrpcProtocol.BinaryHeaderSuffix, StringComparison.Ordinal);
        if (isBinaryKey != binary)
        {
            throw new ArgumentException(
                binary
                    ? $"Binary metadata key '{key}' must end with '-bin'."
                    : $"Metadata key '{key}' ends with '-bin' and needs a byte[] value.",
                nameof(key));
        }

        return normalized;
    }

    private static bool TryDecodeBase64(string value, out byte[] bytes)
    {
        var output = new List<byte>();
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            var padded = part.TrimEnd('=');
            padded = (padded.Length % 4) switch
            {
                2 => padded + "==",
                3 => padded + "=",
                _ => padded,
            };
            var buffer = new byte[(padded.Length / 4 * 3) + 3];
            if (!Convert.TryFromBase64String(padded, buffer, out var written))
            {
                bytes = [];
                return false;
            }

            output.AddRange(buffer.AsSpan(0, written));
        }

        bytes = [.. output];
        return true;
    }
}
