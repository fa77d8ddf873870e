using System.Text.Json;
using Takler.Protocol.Grpc;
using Takler.Protocol.Tests.TestSupport;
using Xunit.Abstractions;

namespace Takler.Protocol.Tests.GrpcJs;

/// <summary>Our server as seen by grpc-js, a real gRPC client (see grpcjs/client.js).</summary>
public sealed class GrpcJsInteropTests : IClassFixture<GrpcJsRun>
{
    private readonly GrpcJsRun _run;
    private readonly ITestOutputHelper _output;

    public GrpcJsInteropTests(GrpcJsRun run, ITestOutputHelper output)
    {
        _run = run;
        _output = output;
    }

    [Fact]
    public void Client_ran_every_step()
    {
        // The whole answer in the test log, for when another assertion fails.
        _output.WriteLine(_run.Results.GetRawText());
        Assert.Equal(18, _run.Results.EnumerateObject().Count());
    }

    [Fact]
    public void Ping_succeeds()
    {
        Assert.Equal(0, Code("ping"));
        Assert.Equal(0, Code("pingAtEnd"));
    }

    [Fact]
    public void Child_command_and_its_metadata_reach_the_handler()
    {
        Assert.Equal(0, Code("init"));
        var response = Result("init").GetProperty("response");
        Assert.Equal(0, response.GetProperty("flag").GetInt32());
        Assert.Equal("init /flow/task task_id=4242 pass=secret-pass user=ops", response.GetProperty("message").GetString());
    }

    [Fact]
    public void Show_returns_the_output()
    {
        Assert.Equal(0, Code("show"));
        Assert.Contains("\"show_trigger\": true", Result("show").GetProperty("response").GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Business_failure_is_a_flag_in_an_ok_response()
    {
        Assert.Equal(0, Code("abortFlag"));
        var response = Result("abortFlag").GetProperty("response");
        Assert.Equal(10, response.GetProperty("flag").GetInt32());
        Assert.StartsWith("NodeNotFoundError: ", response.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Error_status_with_non_ascii_message_and_trailers_round_trips()
    {
        var result = Result("abortError");
        Assert.Equal((int)StatusCode.InvalidArgument, Code("abortError"));
        Assert.Equal("fail: ünïcödé 中文 100% done", result.GetProperty("details").GetString());
        var trailers = result.GetProperty("trailers");
        Assert.Equal("abort-refused", trailers.GetProperty("takler-detail").GetString());
        Assert.Equal(Convert.ToBase64String([0, 1, 2, 255]), trailers.GetProperty("takler-detail-bin").GetString());
    }

    [Fact]
    public void Extension_rpc_with_enum_answers()
    {
        Assert.Equal(0, Code("status"));
        var response = Result("status").GetProperty("response");
        Assert.Equal("NODE_STATUS_ACTIVE", response.GetProperty("status").GetString());
        Assert.StartsWith("ipv4:127.0.0.1:", response.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_method_returns_unimplemented() =>
        Assert.Equal((int)StatusCode.Unimplemented, Code("unknownMethod"));

    [Fact]
    public async Task Deadline_is_exceeded_and_the_handler_is_cancelled()
    {
        Assert.Equal((int)StatusCode.DeadlineExceeded, Code("deadline"));
        await _run.Server.Service.SlowCallCancelled.WaitAsync(Timeouts.Event);
    }

    [Fact]
    public void Message_over_4_MiB_is_resource_exhausted_and_the_server_still_answers()
    {
        Assert.Equal((int)StatusCode.ResourceExhausted, Code("tooLarge"));
        Assert.Equal(0, Code("pingAfterTooLarge"));
    }

    [Fact]
    public void Server_stream_delivers_every_message()
    {
        Assert.Equal(0, Code("stream"));
        Assert.Equal(["0", "1", "2", "3", "4"], Names("stream"));
    }

    [Fact]
    public void Server_stream_error_arrives_after_its_messages()
    {
        Assert.Equal((int)StatusCode.Aborted, Code("streamFailure"));
        Assert.Equal("stopped after 2", Result("streamFailure").GetProperty("details").GetString());
        Assert.Equal(["0", "1"], Names("streamFailure"));
    }

    [Theory]
    [InlineData("rawTruncated")]
    [InlineData("rawCompressed")]
    [InlineData("rawBadProtobuf")]
    public void Corrupt_request_gets_internal_as_trailers_only(string name)
    {
        var result = Result(name);
        Assert.Equal(200, result.GetProperty("httpStatus").GetInt32());
        Assert.Equal("application/grpc", result.GetProperty("contentType").GetString());
        Assert.True(result.GetProperty("trailersOnly").GetBoolean());
        Assert.Equal((int)StatusCode.Internal, result.GetProperty("grpcStatus").GetInt32());
        Assert.Equal(0, result.GetProperty("bodyLength").GetInt32());
    }

    [Fact]
    public void Wrong_content_type_gets_http_415() =>
        Assert.Equal(415, Result("rawWrongContentType").GetProperty("httpStatus").GetInt32());

    [Fact]
    public void Raw_ok_call_has_headers_one_frame_and_status_in_trailers()
    {
        var result = Result("rawOk");
        Assert.Equal(200, result.GetProperty("httpStatus").GetInt32());
        Assert.Equal("application/grpc", result.GetProperty("contentType").GetString());
        Assert.False(result.GetProperty("trailersOnly").GetBoolean());
        Assert.Equal(0, result.GetProperty("grpcStatus").GetInt32());
        Assert.Equal(GrpcFrame.HeaderSize, result.GetProperty("bodyLength").GetInt32());
    }

    private JsonElement Result(string name) => _run.Results.GetProperty(name);

    private int Code(string name) => Result(name).GetProperty("code").GetInt32();

    private string[] Names(string name) =>
        [.. Result(name).GetProperty("names").EnumerateArray().Select(e => e.GetString() ?? string.Empty)];
}
