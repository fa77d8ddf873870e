using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Takler.Protocol.Grpc;

/// <summary>
/// Length-prefixed message framing (PROTOCOL-HTTP2.md, Requests):
/// Length-Prefixed-Message -> Compressed-Flag (1 byte) Message-Length (4 bytes, big endian) Message.
/// DATA frame boundaries have no relation to message boundaries, so readers accumulate.
/// </summary>
public static class GrpcFrame
{
    /// <summary>Compressed-Flag plus Message-Length.</summary>
    public const int HeaderSize = 5;

    /// <summary>Writes the 5-byte prefix for an uncompressed message of <paramref name="messageLength"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, int messageLength) =>
        WriteHeader(destination, compressed: false, messageLength);

    /// <summary>Writes the 5-byte prefix.</summary>
    public static void WriteHeader(Span<byte> destination, bool compressed, int messageLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HeaderSize, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfNegative(messageLength);
        destination[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)messageLength);
    }

    /// <summary>Reads the prefix from the start of <paramref name="buffer"/>; false when fewer than 5 bytes are there.</summary>
    public static bool TryReadHeader(ReadOnlySequence<byte> buffer, out byte compressedFlag, out uint messageLength)
    {
        if (buffer.Length < HeaderSize)
        {
            compressedFlag = 0;
            messageLength = 0;
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        compressedFlag = header[0];
        messageLength = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        return true;
    }

    /// <summary>One uncompressed frame (prefix and message) in a new array.</summary>
    public static byte[] Encode(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var size = message.CalculateSize();
        var bytes = new byte[HeaderSize + size];
        WriteHeader(bytes, size);
        message.WriteTo(bytes.AsSpan(HeaderSize));
        return bytes;
    }

    /// <summary>Writes one uncompressed frame whose message size, from <see cref="IMessage.CalculateSize"/>, is <paramref name="messageSize"/>.</summary>
    public static void Write(IBufferWriter<byte> writer, IMessage message, int messageSize)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        WriteHeader(writer.GetSpan(HeaderSize), messageSize);
        writer.Advance(HeaderSize);
        if (messageSize > 0)
        {
            message.WriteTo(writer);
        }
    }

    /// <summary>
    /// Reads and parses the next message, or returns null when the stream ends cleanly before one.
    /// Throws <see cref="RpcException"/>: <see cref="StatusCode.ResourceExhausted"/> as soon as a
    /// prefix announces more than <paramref name="maxMessageSize"/> bytes (the body is not read);
    /// <see cref="StatusCode.Internal"/> for a compressed or invalid flag, a stream that ends
    /// inside a frame, or bytes that do not parse.
    /// </summary>
    public static async ValueTask<T?> ReadMessageAsync<T>(
        PipeReader reader,
        MessageParser<T> parser,
        int maxMessageSize,
        CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(parser);
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            var examined = buffer.End;
            try
            {
                if (result.IsCanceled)
                {
                    throw new OperationCanceledException("The read was cancelled.", cancellationToken);
                }

                if (TryReadHeader(buffer, out var flag, out var length))
                {
                    CheckHeader(flag, length, maxMessageSize);
                    var frameLength = HeaderSize + (long)length;
                    if (buffer.Length >= frameLength)
                    {
                        var message = Parse(parser, buffer.Slice(HeaderSize, length));
                        consumed = examined = buffer.GetPosition(frameLength);
                        return message;
                    }
                }

                if (result.IsCompleted)
                {
                    if (buffer.Length == 0)
                    {
                        return null;
                    }

                    throw Incomplete(buffer.Length);
                }
            }
            finally
            {
                reader.AdvanceTo(consumed, examined);
            }
        }
    }

    /// <summary>
    /// Reads the one message of a unary response from <paramref name="stream"/> through a pooled buffer, then reads on
    /// to the end of the stream. The message is null when the stream ends cleanly before one; <c>EndOfStream</c> is
    /// false when any byte follows it. Errors as <see cref="ReadMessageAsync{T}"/>.
    /// </summary>
    public static async ValueTask<(T? Message, bool EndOfStream)> ReadSingleMessageAsync<T>(
        Stream stream,
        MessageParser<T> parser,
        int maxMessageSize,
        CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(parser);
        var buffer = ArrayPool<byte>.Shared.Rent(256);
        var filled = 0;
        try
        {
            while (filled < HeaderSize)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return filled == 0 ? (null, true) : throw Incomplete(filled);
                }

                filled += read;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(1, 4));
            CheckHeader(buffer[0], length, maxMessageSize);
            if (length > (uint)(Array.MaxLength - HeaderSize - 1))
            {
                throw new RpcException(
                    StatusCode.ResourceExhausted,
                    string.Create(CultureInfo.InvariantCulture, $"Received message larger than max ({length} vs. {Array.MaxLength - HeaderSize - 1})"));
            }

            var frameLength = HeaderSize + (int)length;
            if (buffer.Length <= frameLength)
            {
                // One byte more than the frame, so the read that finds the end of the stream has room.
                var larger = ArrayPool<byte>.Shared.Rent(frameLength + 1);
                buffer.AsSpan(0, filled).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            while (filled < frameLength)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw Incomplete(filled);
                }

                filled += read;
            }

            var message = Parse(parser, buffer.AsSpan(HeaderSize, (int)length));
            if (filled > frameLength)
            {
                return (message, false);
            }

            var after = await stream.ReadAsync(buffer.AsMemory(frameLength), cancellationToken).ConfigureAwait(false);
            return (message, after == 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>True when the stream ends with no further bytes; false as soon as any byte follows.</summary>
    public static async ValueTask<bool> IsEndOfStreamAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The read was cancelled.", cancellationToken);
            }

            if (buffer.Length > 0)
            {
                return false;
            }

            if (result.IsCompleted)
            {
                return true;
            }
        }
    }

    private static void CheckHeader(byte flag, uint length, int maxMessageSize)
    {
        // Compressed-Flag -> 0 / 1. "If the Message-Encoding header is omitted then the
        // Compressed-Flag must be 0"; only identity is supported, so 1 is never valid here.
        if (flag == 1)
        {
            throw new RpcException(
                StatusCode.Internal,
                "Compressed message received, but no message encoding was negotiated (only identity is supported).");
        }

        if (flag != 0)
        {
            throw new RpcException(
                StatusCode.Internal,
                string.Create(CultureInfo.InvariantCulture, $"Invalid compressed flag {flag} in message prefix."));
        }

        if (length > (uint)maxMessageSize)
        {
            throw new RpcException(
                StatusCode.ResourceExhausted,
                string.Create(CultureInfo.InvariantCulture, $"Received message larger than max ({length} vs. {maxMessageSize})"));
        }
    }

    private static RpcException Incomplete(long received) =>
        new(StatusCode.Internal, string.Create(CultureInfo.InvariantCulture, $"Incomplete message: the stream ended after {received} bytes of a frame."));

    private static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> payload)
        where T : class, IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal, "Error parsing message: " + ex.Message, trailers: null, ex);
        }
    }

    private static T Parse<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload)
        where T : class, IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal, "Error parsing message: " + ex.Message, trailers: null, ex);
        }
    }
}
