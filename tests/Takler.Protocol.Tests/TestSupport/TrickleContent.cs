using System.Net;

namespace Takler.Protocol.Tests.TestSupport;

/// <summary>A request body sent in small flushed pieces, optionally left open after them.</summary>
internal sealed class TrickleContent : HttpContent
{
    private readonly byte[] _bytes;
    private readonly int _pieceSize;
    private readonly Task? _holdOpenUntil;

    public TrickleContent(byte[] bytes, int pieceSize, Task? holdOpenUntil = null)
    {
        _bytes = bytes;
        _pieceSize = pieceSize;
        _holdOpenUntil = holdOpenUntil;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < _bytes.Length; offset += _pieceSize)
        {
            var count = Math.Min(_pieceSize, _bytes.Length - offset);
            await stream.WriteAsync(_bytes.AsMemory(offset, count), cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }

        if (_holdOpenUntil is not null)
        {
            await _holdOpenUntil.WaitAsync(cancellationToken);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
