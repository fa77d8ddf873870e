using System.Text;

namespace Takler.Protocol.Grpc;

/// <summary>
/// The percent-encoding of the <c>grpc-message</c> value (PROTOCOL-HTTP2.md, Responses:
/// Status-Message): UTF-8 bytes, with every byte outside 0x20-0x7E, and '%' itself, written as
/// "%" and two upper-case hex digits.
/// </summary>
public static class PercentEncoding
{
    /// <summary>Encodes a status message for the <c>grpc-message</c> header.</summary>
    public static string Encode(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return string.Empty;
        }

        if (!NeedsEncoding(message))
        {
            return message;
        }

        var bytes = Encoding.UTF8.GetBytes(message);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            // Percent-Byte-Unencoded -> 1*( %x20-%x24 / %x26-%x7E ) ; space and VCHAR, except %
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xF));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Decodes a <c>grpc-message</c> value. Never throws: a broken "%" sequence is kept as it is
    /// and invalid UTF-8 becomes U+FFFD, as the spec asks ("MUST NOT error or throw away the message").
    /// </summary>
    public static string Decode(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && TryHex(value[i + 1], out var high) && TryHex(value[i + 2], out var low))
            {
                bytes.Add((byte)((high << 4) | low));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                // Not allowed on the wire, but keep it rather than lose it.
                var rune = Rune.TryGetRuneAt(value, i, out var r) ? r : Rune.ReplacementChar;
                var written = rune.EncodeToUtf8(utf8);
                bytes.AddRange(utf8[..written]);
                i += rune.Utf16SequenceLength - 1;
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool NeedsEncoding(string message)
    {
        foreach (var c in message)
        {
            if (c < 0x20 || c > 0x7E || c == '%')
            {
                return true;
            }
        }

        return false;
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'F' => c - 'A' + 10,
            >= 'a' and <= 'f' => c - 'a' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
