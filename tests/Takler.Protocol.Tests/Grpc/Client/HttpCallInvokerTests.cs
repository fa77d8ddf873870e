using System.Net;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;
using Takler.Protocol.Tests.TestSupport;

namespace Takler.Protocol.Tests.Grpc.Client;

/// <summary>What the client sends, and how it reads answers no good server gives (a scripted HTTP handler).</summary>
public sealed class HttpCallInvokerTests
{
    private static readonly byte[] PingFrame = GrpcFrame.Encode(new PingResponse());
    private static readonly Dictionary<string, string> Ok = new() { ["grpc-status"] = "0" };

    [Fact]
    public async Task Request_is_an_http2_post_with_te_content_type_timeout_and_one_frame()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Response(PingFrame, trailers: Ok));
        var client = Client(handler);

        await client.RunCommandInitAsync(
            new InitCommand { TaskId = "1" },
            new Metadata { { "takler-pass", "pw" } },
            deadline: Timeouts.Deadline(TimeSpan.FromSeconds(10)));

        var request = handler.LastRequest!;
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(HttpVersion.Version20, request.Version);
        Assert.Equal(HttpVersionPolicy.RequestVersionExact, request.VersionPolicy);
        Assert.Equal("http://localhost:33083/takler_protocol.TaklerServer/RunCommandInit", request.RequestUri!.ToString());
        Assert.Equal("trailers", Header(request, "te"));
        Assert.Equal("application/grpc", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("pw", Header(request, "takler-pass"));
        Assert.True(GrpcTimeout.TryParse(Header(request, "grpc-timeout"), out var timeout));
        Assert.InRange(timeout, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10.001));
        Assert.Equal(GrpcFrame.Encode(new InitCommand { TaskId = "1" }), handler.LastBody);
    }

    [Fact]
    public async Task Call_without_deadline_sends_no_grpc_timeout()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Response(PingFrame, trailers: Ok));

        await Client(handler).RunRequestPingAsync(new PingRequest());

        Assert.False(handler.LastRequest!.Headers.Contains("grpc-timeout"));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, StatusCode.Internal)]
    [InlineData(HttpStatusCode.Unauthorized, StatusCode.Unauthenticated)]
    [InlineData(HttpStatusCode.Forbidden, StatusCode.PermissionDenied)]
    [InlineData(HttpStatusCode.NotFound, StatusCode.Unimplemented)]
    [InlineData(HttpStatusCode.TooManyRequests, StatusCode.Unavailable)]
    [InlineData(HttpStatusCode.BadGateway, StatusCode.Unavailable)]
    [InlineData(HttpStatusCode.ServiceUnavailable, StatusCode.Unavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout, StatusCode.Unavailable)]
    [InlineData(HttpStatusCode.UnsupportedMediaType, StatusCode.Unknown)]
    public async Task Non_200_http_status_is_mapped_to_a_grpc_status(HttpStatusCode http, StatusCode expected)
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Response([], contentType: "text/plain", status: http));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client(handler).RunRequestPingAsync(new PingRequest()));

        Assert.Equal(expected, ex.StatusCode);
        Assert.Contains(((int)http).ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_grpc_content_type_is_internal()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Response(PingFrame, contentType: "text/html", trailers: Ok));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client(handler).RunRequestPingAsync(new PingRequest()));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Missing_grpc_status_is_internal()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Response(PingFrame));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client(handler).RunRequestPingAsync(new PingRequest()));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Malformed_grpc_status_is_internal()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Response(PingFrame, trailers: new Dictionary<string, string> { ["grpc-status"] = "zero" }));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client(handler).RunRequestPingAsync(new PingRequest()));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Status_number_beyond_the_known_codes_is_unknown()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Response([], headers: new Dictionary<string, string> { ["grpc-status"] = "42" }));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client(handler).RunRequestPingAsync(new PingRequest()));

        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
    }

    [Fact]
    public async Task Trailers_only_error_is_read_from_the_headers()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Response([], headers: new Dictionary<string, string>
        {
            ["grpc-status"] = "5",
            ["grpc-message"] = "node%20is%20not%20found%3A %C3%A9",
        }));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client(handler).RunRequestPingAsync(new PingRequest()));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("node is not found: é", ex.Detail);
    }

    [Fact]
    public async Task Ok_without_a_message_for_a_unary_call_is_internal()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Response([], trailers: Ok));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client(handler).RunRequestPingAsync(new PingRequest()));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Two_messages_for_a_unary_call_are_internal()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Response([.. PingFrame, .. PingFrame], trailers: Ok));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client(handler).RunRequestPingAsync(new PingRequest()));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Truncated_response_frame_is_internal()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Response([0, 0, 0, 0, 9, 1], trailers: Ok));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client(handler).RunRequestPingAsync(new PingRequest()));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Message_with_error_status_is_the_error()
    {
        var handler = new ScriptedHandler(_ => ScriptedHandler.Response(PingFrame, trailers: new Dictionary<string, string> { ["grpc-status"] = "10" }));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client(handler).RunRequestPingAsync(new PingRequest()));

        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
    }

    [Theory]
    [InlineData(0x7L, StatusCode.Unavailable)]
    [InlineData(0x8L, StatusCode.Cancelled)]
    [InlineData(0xBL, StatusCode.ResourceExhausted)]
    [InlineData(0xCL, StatusCode.PermissionDenied)]
    [InlineData(0x1L, StatusCode.Internal)]
    [InlineData(0x2L, StatusCode.Internal)]
    public async Task Stream_reset_maps_by_its_http2_error_code(long errorCode, StatusCode expected)
    {
        var handler = new ScriptedHandler(_ => throw new HttpProtocolException(errorCode, "stream reset", null));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client(handler).RunRequestPingAsync(new PingRequest()));

        Assert.Equal(expected, ex.StatusCode);
    }

    [Fact]
    public async Task Transport_failure_is_unavailable()
    {
        var handler = new ScriptedHandler(_ => throw new HttpRequestException("connection reset"));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Client(handler).RunRequestPingAsync(new PingRequest()));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    private static TaklerServerClient Client(ScriptedHandler handler) =>
        new(GrpcChannel.ForAddress("http://localhost:33083", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpHandler = true }));

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;
}
