using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Takler.Server.Storage;

/// <summary>
/// How a snapshot's JSON is kept in the `snapshots` table: Brotli-compressed (fastest level), behind a small header,
/// <c>00 'B' 'R' '1'</c> and the JSON's length (4 bytes, little-endian). A tree's JSON repeats itself a great deal: a
/// generated 100,000-task snapshot of 34 MB is stored in under 0.1 MB, and real suites shrink about tenfold. SQLite
/// reads a large value one 4 KB page at a time (34 MB took 200-300 ms to read back, more than decompressing it), and
/// writes it twice (log, then database), so a restart and every snapshot gain from the smaller value.
/// <para>
/// A value without the header is the JSON itself, as databases written before compression hold it (no JSON text can
/// start with a zero byte). A header whose Brotli data does not decompress to exactly the length it states is a
/// damaged snapshot (<see cref="InvalidDataException"/>).
/// </para>
/// </summary>
internal static class StoredSnapshot
{
    private const int HeaderLength = 8;

    /// <summary>Brotli's fastest level: compressing 34 MB of snapshot JSON takes about 10 ms.</summary>
    private const int Quality = 1;

    /// <summary>Brotli's default window (4 MB): repeats further apart than that are not found, which costs little.</summary>
    private const int Window = 22;

    private static ReadOnlySpan<byte> Magic => [0, (byte)'B', (byte)'R', (byte)'1'];

    /// <summary>The value to store for a snapshot's JSON.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> json)
    {
        // Sized for the worst case but not cleared: only the pages written to are ever touched.
        var buffer = GC.AllocateUninitializedArray<byte>(HeaderLength + BrotliEncoder.GetMaxCompressedLength(json.Length));
        if (!BrotliEncoder.TryCompress(json, buffer.AsSpan(HeaderLength), out var written, Quality, Window))
        {
            throw new InvalidOperationException("snapshot compression failed");
        }

        Magic.CopyTo(buffer);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(Magic.Length), json.Length);
        return buffer.AsSpan(0, HeaderLength + written).ToArray();
    }

    /// <summary>
    /// The snapshot's JSON from a stored value as a stream, decompressed as it is read: the whole JSON is never in
    /// memory. A damaged value fails the read (<see cref="InvalidDataException"/>) where the damage is found.
    /// </summary>
    public static Stream OpenRead(byte[] stored) =>
        stored.AsSpan().StartsWith(Magic) ? new DecompressingStream(stored, StatedLength(stored)) : new MemoryStream(stored, writable: false);

    /// <summary>The length of the snapshot's JSON.</summary>
    public static int JsonLength(byte[] stored) => stored.AsSpan().StartsWith(Magic) ? StatedLength(stored) : stored.Length;

    private static int StatedLength(byte[] stored)
    {
        if (stored.Length < HeaderLength)
        {
            throw new InvalidDataException("the compressed snapshot is cut short");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(stored.AsSpan(Magic.Length));
        if (length < 0 || length > Array.MaxLength)
        {
            throw new InvalidDataException($"the compressed snapshot states a length of {length} bytes");
        }

        return length;
    }

    /// <summary>The JSON of a compressed value, decompressed as it is read, which must be exactly the length the header states.</summary>
    private sealed class DecompressingStream(byte[] stored, int length) : Stream
    {
        private BrotliDecoder _decoder;
        private int _consumed = HeaderLength;
        private int _written;
        private bool _done;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _written;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_done || buffer.IsEmpty)
            {
                return 0;
            }

            var status = _decoder.Decompress(stored.AsSpan(_consumed), buffer, out var consumed, out var written);
            _consumed += consumed;
            _written += written;
            if (status is OperationStatus.InvalidData or OperationStatus.NeedMoreData || _written > length || (status == OperationStatus.Done && _written != length))
            {
                throw new InvalidDataException($"the compressed snapshot does not decompress to the {length} bytes it states");
            }

            _done = status == OperationStatus.Done;
            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _decoder.Dispose();
            base.Dispose(disposing);
        }
    }
}
