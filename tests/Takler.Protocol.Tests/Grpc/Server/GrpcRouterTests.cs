using System.Net;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Server;
using Takler.Protocol.Tests.TestSupport;

namespace Takler.Protocol.Tests.Grpc.Server;

/// <summary>The router's request checks and response shapes, seen through raw HTTP/2 requests.</summary>
public sealed class GrpcRouterTests : IAsyncLifetime
{
    private static readonly byte[] PingFrame = GrpcFrame.Encode(new PingRequest());

    private TestServer _server = null!;
    private RawHttp2Client _raw = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _raw = new RawHttp2Client(_server.Address);
    }

    public async Task DisposeAsync()
    {
        _raw.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Ok_call_has_grpc_headers_one_frame_and_status_in_trailers()
    {
        var response = await _raw.PostBytesAsync(PingFrame);

        Assert.Equal(HttpStatusCode.OK, response.HttpStatus);
        Assert.Equal("application/grpc", response.Headers["content-type"]);
        Assert.False(response.IsTrailersOnly);
        Assert.Equal(PingFrame, response.Body);
        Assert.Equal("0", response.Trailers["grpc-status"]);
        Assert.False(response.Trailers.ContainsKey("grpc-message"));
    }

    [Fact]
    public async Task Grpc_proto_content_type_is_accepted()
    {
        var response = await _raw.PostAsync(RawHttp2Client.PingPath, new ByteArrayContent(PingFrame), contentType: "application/grpc+proto");

        Assert.Equal(0, response.GrpcStatus);
    }

    [Fact]
    public async Task Unknown_method_returns_unimplemented()
    {
        var response = await _raw.PostBytesAsync(PingFrame, "/takler_protocol.TaklerServer/NoSuchMethod");

        Assert.True(response.IsTrailersOnly);
        Assert.Equal((int)StatusCode.Unimplemented, response.GrpcStatus);
        Assert.Equal("Method not found: /takler_protocol.TaklerServer/NoSuchMethod", response.GrpcMessage);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/grpc+json")]
    [InlineData("text/plain")]
    public async Task Unsupported_content_type_gets_http_415(string contentType)
    {
        var response = await _raw.PostAsync(RawHttp2Client.PingPath, new ByteArrayContent(PingFrame), contentType: contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.HttpStatus);
        await AssertServerStillAnswers();
    }

    [Fact]
    public async Task Method_other_than_post_gets_http_405()
    {
        var response = await _raw.PostAsync(RawHttp2Client.PingPath, content: null, method: HttpMethod.Get);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.HttpStatus);
        Assert.Equal("POST", response.Headers["allow"]);
    }

    [Fact]
    public async Task Request_without_te_trailers_is_refused_with_internal()
    {
        var response = await _raw.PostAsync(RawHttp2Client.PingPath, new ByteArrayContent(PingFrame), te: false);

        Assert.Equal((int)StatusCode.Internal, response.GrpcStatus);
        Assert.Contains("te: trailers", response.GrpcMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_without_te_trailers_is_served_when_not_required()
    {
        await using var server = await TestServer.StartAsync(new GrpcServerOptions { RequireTeTrailers = false });
        using var raw = new RawHttp2Client(server.Address);

        var response = await raw.PostAsync(RawHttp2Client.PingPath, new ByteArrayContent(PingFrame), te: false);

        Assert.Equal(0, response.GrpcStatus);
    }

    [Fact]
    public async Task Corrupt_frame_returns_internal_then_ping_still_answers()
    {
        var response = await _raw.PostBytesAsync([0, 0, 0, 0, 10, 1, 2]);

        Assert.True(response.IsTrailersOnly);
        Assert.Equal((int)StatusCode.Internal, response.GrpcStatus);
        Assert.Empty(response.Body);
        await AssertServerStillAnswers();
    }

    [Fact]
    public async Task Compressed_flag_without_encoding_returns_internal()
    {
        var response = await _raw.PostBytesAsync([1, 0, 0, 0, 0]);

        Assert.Equal((int)StatusCode.Internal, response.GrpcStatus);
    }

    [Fact]
    public async Task Unsupported_message_encoding_returns_unimplemented_and_lists_identity()
    {
        var response = await _raw.PostBytesAsync(PingFrame, headers: new Dictionary<string, string> { ["grpc-encoding"] = "gzip" });

        Assert.Equal((int)StatusCode.Unimplemented, response.GrpcStatus);
        Assert.Equal("identity", response.Headers["grpc-accept-encoding"]);
    }

    [Fact]
    public async Task Identity_message_encoding_is_accepted()
    {
        var response = await _raw.PostBytesAsync(PingFrame, headers: new Dictionary<string, string> { ["grpc-encoding"] = "identity" });

        Assert.Equal(0, response.GrpcStatus);
    }

    [Fact]
    public async Task Unparseable_protobuf_returns_internal()
    {
        var response = await _raw.PostBytesAsync([0, 0, 0, 0, 3, 0x0A, 0x05, 0x01]);

        Assert.Equal((int)StatusCode.Internal, response.GrpcStatus);
        Assert.StartsWith("Error parsing message", response.GrpcMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_body_returns_internal()
    {
        var response = await _raw.PostBytesAsync([]);

        Assert.Equal((int)StatusCode.Internal, response.GrpcStatus);
        Assert.Equal("No request message was received.", response.GrpcMessage);
    }

    [Fact]
    public async Task Two_messages_for_a_unary_method_return_internal()
    {
        var response = await _raw.PostBytesAsync([.. PingFrame, .. PingFrame]);

        Assert.Equal((int)StatusCode.Internal, response.GrpcStatus);
    }

    [Fact]
    public async Task Request_split_into_many_data_frames_is_reassembled()
    {
        var frame = GrpcFrame.Encode(new InitCommand { ChildOptions = new() { NodePath = "/f/t" }, TaskId = new string('7', 100) });

        var response = await _raw.PostAsync("/takler_protocol.TaklerServer/RunCommandInit", new TrickleContent(frame, pieceSize: 3));

        Assert.Equal(0, response.GrpcStatus);
        var answer = ServiceResponse.Parser.ParseFrom(response.Body.AsSpan(GrpcFrame.HeaderSize));
        Assert.StartsWith("init /f/t task_id=7777", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_message_is_refused_without_waiting_for_its_body()
    {
        // The prefix announces 100 MiB and the body never ends: only an answer from the prefix alone can come back.
        var header = new byte[GrpcFrame.HeaderSize];
        GrpcFrame.WriteHeader(header, 100 * 1024 * 1024);
        var neverEnds = new TaskCompletionSource();

        var response = await _raw.PostAsync(RawHttp2Client.PingPath, new TrickleContent([.. header, 1, 2, 3], pieceSize: 8, neverEnds.Task));

        Assert.Equal((int)StatusCode.ResourceExhausted, response.GrpcStatus);
        Assert.Equal("Received message larger than max (104857600 vs. 4194304)", response.GrpcMessage);
        await AssertServerStillAnswers();
    }

    [Fact]
    public async Task Receive_limit_is_configurable()
    {
        await using var server = await TestServer.StartAsync(new GrpcServerOptions { MaxReceiveMessageSize = 10 });
        using var raw = new RawHttp2Client(server.Address);
        var frame = GrpcFrame.Encode(new AbortCommand { Reason = "more than ten bytes" });

        var response = await raw.PostBytesAsync(frame, "/takler_protocol.TaklerServer/RunCommandAbort");

        Assert.Equal((int)StatusCode.ResourceExhausted, response.GrpcStatus);
    }

    [Fact]
    public async Task Send_limit_turns_a_large_answer_into_resource_exhausted()
    {
        await using var server = await TestServer.StartAsync(new GrpcServerOptions { MaxSendMessageSize = 100 });
        using var raw = new RawHttp2Client(server.Address);
        var frame = GrpcFrame.Encode(new ChildCommandRequest { Extension = new() { TryNo = 1000 } });

        var response = await raw.PostBytesAsync(frame, "/takler_protocol.TaklerServer/RunChildCommand");

        Assert.True(response.IsTrailersOnly);
        Assert.Equal((int)StatusCode.ResourceExhausted, response.GrpcStatus);
    }

    [Fact]
    public async Task Grpc_timeout_cancels_the_handler_and_returns_deadline_exceeded()
    {
        var response = await _raw.PostBytesAsync(
            GrpcFrame.Encode(new CoroutineRequest()),
            "/takler_protocol.TaklerServer/QueryCoroutine",
            new Dictionary<string, string> { ["grpc-timeout"] = "200m" });

        Assert.Equal((int)StatusCode.DeadlineExceeded, response.GrpcStatus);
        var context = await _server.Service.SlowCallCancelled.WaitAsync(Timeouts.Event);
        Assert.True(context.CancellationToken.IsCancellationRequested);
        Assert.NotEqual(DateTimeOffset.MaxValue, context.Deadline);
    }

    [Fact]
    public async Task Malformed_grpc_timeout_returns_internal()
    {
        var response = await _raw.PostBytesAsync(PingFrame, headers: new Dictionary<string, string> { ["grpc-timeout"] = "1.5S" });

        Assert.Equal((int)StatusCode.Internal, response.GrpcStatus);
    }

    [Fact]
    public async Task Call_without_grpc_timeout_has_no_deadline()
    {
        await _raw.PostBytesAsync(PingFrame);

        Assert.Equal(DateTimeOffset.MaxValue, _server.Service.LastContext!.Deadline);
    }

    [Fact]
    public async Task Handler_exception_returns_unknown_without_its_text()
    {
        var response = await _raw.PostBytesAsync(GrpcFrame.Encode(new EventCommand()), "/takler_protocol.TaklerServer/RunCommandEvent");

        Assert.Equal((int)StatusCode.Unknown, response.GrpcStatus);
        Assert.Equal("Exception was thrown by handler.", response.GrpcMessage);
    }

    [Fact]
    public async Task Handler_exception_text_is_sent_when_detailed_errors_are_on()
    {
        await using var server = await TestServer.StartAsync(new GrpcServerOptions { EnableDetailedErrors = true });
        using var raw = new RawHttp2Client(server.Address);

        var response = await raw.PostBytesAsync(GrpcFrame.Encode(new EventCommand()), "/takler_protocol.TaklerServer/RunCommandEvent");

        Assert.Equal("Exception was thrown by handler. InvalidOperationException: boom", response.GrpcMessage);
    }

    [Fact]
    public async Task Error_is_trailers_only_with_percent_encoded_message_and_metadata()
    {
        var frame = GrpcFrame.Encode(new AbortCommand { Reason = "fail: 100% é" });

        var response = await _raw.PostBytesAsync(frame, "/takler_protocol.TaklerServer/RunCommandAbort");

        Assert.Equal(HttpStatusCode.OK, response.HttpStatus);
        Assert.True(response.IsTrailersOnly);
        Assert.Empty(response.Body);
        Assert.Equal("3", response.Headers["grpc-status"]);
        Assert.Equal("fail: 100%25 %C3%A9", response.Headers["grpc-message"]);
        Assert.Equal("abort-refused", response.Headers["takler-detail"]);
        Assert.Equal("AAEC/w", response.Headers["takler-detail-bin"]);
    }

    [Fact]
    public async Task Handler_trailers_follow_the_status()
    {
        var response = await _raw.PostBytesAsync(GrpcFrame.Encode(new StatusRequest()), "/takler_protocol.TaklerServer/RequestStatus");

        Assert.Equal("0", response.Trailers["grpc-status"]);
        Assert.Equal("fake", response.Trailers["takler-served-by"]);
    }

    [Fact]
    public async Task Request_metadata_excludes_protocol_headers()
    {
        await _raw.PostBytesAsync(PingFrame, headers: new Dictionary<string, string>
        {
            ["takler-user"] = "ops",
            ["grpc-timeout"] = "10S",
        });

        var keys = _server.Service.LastContext!.RequestHeaders.Select(e => e.Key).ToList();
        Assert.Contains("takler-user", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("grpc-", StringComparison.Ordinal) || k is "te" or "content-type" or "host" || k.StartsWith(':'));
    }

    [Fact]
    public void Mapping_a_path_twice_is_refused()
    {
        var router = new GrpcRouter();
        router.MapUnary(TaklerServerMethods.RunRequestPing, (_, _) => Task.FromResult(new PingResponse()));

        Assert.Throws<InvalidOperationException>(() =>
            router.MapUnary(TaklerServerMethods.RunRequestPing, (_, _) => Task.FromResult(new PingResponse())));
    }

    [Fact]
    public void Mapping_a_streaming_method_as_unary_is_refused()
    {
        var router = new GrpcRouter();

        Assert.Throws<ArgumentException>(() => router.MapUnary(TestStreams.Count, (_, _) => Task.FromResult(new TreeResponse())));
    }

    private async Task AssertServerStillAnswers()
    {
        var ping = await _raw.PostBytesAsync(PingFrame);
        Assert.Equal(0, ping.GrpcStatus);
    }
}
