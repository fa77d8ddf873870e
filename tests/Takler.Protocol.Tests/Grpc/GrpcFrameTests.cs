using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;
using Takler.Protocol.Grpc;

namespace Takler.Protocol.Tests.Grpc;

public sealed class GrpcFrameTests
{
    private static readonly ShowResponse Sample = new() { Output = "hello, frame" };

    [Fact]
    public void Encode_writes_flag_zero_big_endian_length_then_the_message()
    {
        var frame = GrpcFrame.Encode(Sample);
        var body = Sample.ToByteArray();

        Assert.Equal(GrpcFrame.HeaderSize + body.Length, frame.Length);
        Assert.Equal(0, frame[0]);
        Assert.Equal([0, 0, 0, (byte)body.Length], frame[1..5]);
        Assert.Equal(body, frame[5..]);
    }

    [Fact]
    public void Header_length_is_big_endian()
    {
        var header = new byte[5];
        GrpcFrame.WriteHeader(header, 0x01020304);

        Assert.Equal([0, 1, 2, 3, 4], header);
        Assert.True(GrpcFrame.TryReadHeader(new ReadOnlySequence<byte>(header), out var flag, out var length));
        Assert.Equal(0, flag);
        Assert.Equal(0x01020304u, length);
    }

    [Fact]
    public void Empty_message_is_a_bare_prefix()
    {
        Assert.Equal([0, 0, 0, 0, 0], GrpcFrame.Encode(new PingRequest()));
    }

    [Fact]
    public void Write_to_buffer_writer_matches_encode()
    {
        var writer = new ArrayBufferWriter<byte>();
        GrpcFrame.Write(writer, Sample, Sample.CalculateSize());

        Assert.Equal(GrpcFrame.Encode(Sample), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public async Task Message_split_across_many_reads_is_reassembled()
    {
        var pipe = new Pipe();
        var bytes = GrpcFrame.Encode(Sample);
        var read = GrpcFrame.ReadMessageAsync(pipe.Reader, ShowResponse.Parser, 1024, CancellationToken.None).AsTask();

        // One byte per write: no read can assume a frame arrives whole.
        foreach (var b in bytes[..^1])
        {
            await pipe.Writer.WriteAsync(new[] { b });
        }

        Assert.False(read.IsCompleted);
        await pipe.Writer.WriteAsync(bytes[^1..]);
        Assert.Equal(Sample, await read.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Two_messages_in_one_buffer_are_read_one_by_one_then_end()
    {
        var reader = Reader([.. GrpcFrame.Encode(Sample), .. GrpcFrame.Encode(new ShowResponse { Output = "second" })]);

        Assert.Equal("hello, frame", (await Read(reader))!.Output);
        Assert.Equal("second", (await Read(reader))!.Output);
        Assert.Null(await Read(reader));
    }

    [Fact]
    public async Task Clean_end_of_stream_returns_null()
    {
        Assert.Null(await Read(Reader([])));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 10, 1, 2 })]
    public async Task Stream_ending_inside_a_frame_is_internal(byte[] bytes)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Read(Reader(bytes)));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Compressed_flag_without_negotiated_encoding_is_internal()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Read(Reader([1, 0, 0, 0, 0])));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("Compressed", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_compressed_flag_is_internal()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Read(Reader([2, 0, 0, 0, 0])));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Oversized_prefix_is_resource_exhausted_before_the_body_arrives()
    {
        // Only the prefix, and the stream stays open: the reader must not wait for 100 MiB.
        var pipe = new Pipe();
        var header = new byte[5];
        GrpcFrame.WriteHeader(header, 100 * 1024 * 1024);
        await pipe.Writer.WriteAsync(header);

        var ex = await Assert.ThrowsAsync<RpcException>(
            () => GrpcFrame.ReadMessageAsync(pipe.Reader, ShowResponse.Parser, 4 * 1024 * 1024, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal("Received message larger than max (104857600 vs. 4194304)", ex.Detail);
    }

    [Fact]
    public async Task Message_of_exactly_the_limit_is_accepted()
    {
        var frame = GrpcFrame.Encode(Sample);
        var message = await GrpcFrame.ReadMessageAsync(Reader(frame), ShowResponse.Parser, frame.Length - 5, CancellationToken.None);
        Assert.Equal(Sample, message);
    }

    [Fact]
    public async Task Bytes_that_are_not_protobuf_are_internal()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Read(Reader([0, 0, 0, 0, 3, 0x0A, 0x05, 0x01])));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.StartsWith("Error parsing message", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task End_of_stream_check_sees_trailing_bytes()
    {
        Assert.True(await GrpcFrame.IsEndOfStreamAsync(Reader([]), CancellationToken.None));
        Assert.False(await GrpcFrame.IsEndOfStreamAsync(Reader([0]), CancellationToken.None));
    }

    [Fact]
    public async Task Single_message_read_one_byte_at_a_time_is_reassembled_and_sees_the_end()
    {
        var (message, end) = await ReadSingle(new ChunkedStream(GrpcFrame.Encode(Sample)));

        Assert.Equal(Sample, message);
        Assert.True(end);
    }

    [Fact]
    public async Task Single_message_larger_than_the_first_buffer_is_read_whole()
    {
        var large = new ShowResponse { Output = new string('x', 100_000) };

        var (message, end) = await ReadSingle(new ChunkedStream(GrpcFrame.Encode(large), chunk: 4096));

        Assert.Equal(large, message);
        Assert.True(end);
    }

    [Fact]
    public async Task Single_message_followed_by_any_byte_is_not_the_end()
    {
        var (message, end) = await ReadSingle(new MemoryStream([.. GrpcFrame.Encode(Sample), 0]));

        Assert.Equal(Sample, message);
        Assert.False(end);
    }

    [Fact]
    public async Task Single_message_of_an_empty_stream_is_null()
    {
        var (message, end) = await ReadSingle(new MemoryStream([]));

        Assert.Null(message);
        Assert.True(end);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 10, 1, 2 })]
    public async Task Single_message_stream_ending_inside_a_frame_is_internal(byte[] bytes)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadSingle(new MemoryStream(bytes)));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Single_message_with_an_oversized_prefix_is_resource_exhausted()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(
            () => GrpcFrame.ReadSingleMessageAsync(new MemoryStream([0, 0, 0, 1, 0]), ShowResponse.Parser, 255, CancellationToken.None).AsTask());
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    private static PipeReader Reader(byte[] bytes) => PipeReader.Create(new ReadOnlySequence<byte>(bytes));

    private static Task<(ShowResponse? Message, bool EndOfStream)> ReadSingle(Stream stream) =>
        GrpcFrame.ReadSingleMessageAsync(stream, ShowResponse.Parser, 4 * 1024 * 1024, CancellationToken.None).AsTask();

    /// <summary>A stream that hands out at most <c>chunk</c> bytes per read (one by default), as a network stream may.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunk = 1) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }

    private static Task<ShowResponse?> Read(PipeReader reader) =>
        GrpcFrame.ReadMessageAsync(reader, ShowResponse.Parser, 4 * 1024 * 1024, CancellationToken.None).AsTask();
}
