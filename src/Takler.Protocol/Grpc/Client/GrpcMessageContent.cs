using System.Buffers;
using System.Net;
using Google.Protobuf;

namespace Takler.Protocol.Grpc.Client;

/// <summary>
/// A request body of one length-prefixed message, serialised straight into the request stream from a pooled buffer
/// when the handler sends it (no array per call, no copy through <see cref="ByteArrayContent"/>).
/// </summary>
internal sealed class GrpcMessageContent : HttpContent
{
    private readonly IMessage _message;
    private readonly int _messageSize;

    /// <summary>A body for <paramref name="message"/>, whose <see cref="IMessage.CalculateSize"/> is <paramref name="messageSize"/>.</summary>
    public GrpcMessageContent(IMessage message, int messageSize)
    {
        _message = message;
        _messageSize = messageSize;
        Headers.TryAddWithoutValidation("content-type", GrpcProtocol.ContentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var frameLength = GrpcFrame.HeaderSize + _messageSize;
        var buffer = ArrayPool<byte>.Shared.Rent(frameLength);
        try
        {
            GrpcFrame.WriteHeader(buffer, _messageSize);
            _message.WriteTo(buffer.AsSpan(GrpcFrame.HeaderSize, _messageSize));
            await stream.WriteAsync(buffer.AsMemory(0, frameLength), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = GrpcFrame.HeaderSize + _messageSize;
        return true;
    }
}
