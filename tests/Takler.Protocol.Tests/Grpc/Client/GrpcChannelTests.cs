using System.Net;
using System.Net.Sockets;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;
using Takler.Protocol.Tests.TestSupport;

namespace Takler.Protocol.Tests.Grpc.Client;

/// <summary>The client against a real server: calls, metadata, errors, limits, deadlines, connections.</summary>
public sealed class GrpcChannelTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private GrpcChannel _channel = null!;
    private TaklerServerClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _channel = _server.CreateChannel();
        _client = new TaklerServerClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Unary_call_round_trips()
    {
        var response = await _client.RunCommandInitAsync(new InitCommand { ChildOptions = new() { NodePath = "/f/t" }, TaskId = "77" });

        Assert.Equal(0, response.Flag);
        Assert.Equal("init /f/t task_id=77 pass= user=", response.Message);
    }

    [Fact]
    public async Task Business_failure_is_a_flag_not_an_exception()
    {
        var response = await _client.RunCommandAbortAsync(new AbortCommand { ChildOptions = new() { NodePath = "/nope" } });

        Assert.Equal(10, response.Flag);
        Assert.Equal("node_not_found", ServiceResponseFlags.GetName(response.Flag));
    }

    [Fact]
    public async Task Metadata_reaches_the_handler()
    {
        var headers = new Metadata
        {
            { TaklerMetadataKeys.Password, "pw-123" },
            { TaklerMetadataKeys.User, "ops" },
            { "takler-trace-bin", new byte[] { 0, 255, 10 } },
        };

        var response = await _client.RunCommandInitAsync(new InitCommand { ChildOptions = new() { NodePath = "/f/t" } }, headers);

        Assert.Equal("init /f/t task_id= pass=pw-123 user=ops", response.Message);
        var seen = _server.Service.LastContext!;
        Assert.Equal([0, 255, 10], seen.RequestHeaders.GetValueBytes("takler-trace-bin"));
        Assert.StartsWith("grpc-csharp-takler/", seen.RequestHeaders.GetValue("user-agent"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_sees_peer_host_and_deadline()
    {
        var deadline = Timeouts.Deadline(TimeSpan.FromMinutes(1));

        await _client.RunRequestPingAsync(new PingRequest(), deadline: deadline);

        var seen = _server.Service.LastContext!;
        Assert.StartsWith("ipv4:127.0.0.1:", seen.Peer, StringComparison.Ordinal);
        Assert.Equal($"127.0.0.1:{_server.Port}", seen.Host);
        Assert.Equal("/takler_protocol.TaklerServer/RunRequestPing", seen.Method);

        // grpc-timeout carries the time left, so the server's deadline is close to ours.
        Assert.InRange(seen.Deadline, deadline - TimeSpan.FromSeconds(5), deadline + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Error_with_non_ascii_message_and_trailers_round_trips()
    {
        const string Reason = "fail: ünïcödé 中文 100% done\r\nsecond line #;? \U0001F680 %41";

        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.RunCommandAbortAsync(new AbortCommand { Reason = Reason }));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(Reason, ex.Detail);
        Assert.Equal("abort-refused", ex.Trailers.GetValue("takler-detail"));
        Assert.Equal([0, 1, 2, 255], ex.Trailers.GetValueBytes("takler-detail-bin"));
    }

    [Fact]
    public async Task Ok_trailers_do_not_surface_as_errors()
    {
        var response = await _client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t" });

        Assert.Equal(NodeStatus.Active, response.Status);
    }

    [Fact]
    public async Task Handler_exception_is_unknown()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.RunCommandEventAsync(new EventCommand()));

        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
    }

    [Fact]
    public async Task Unimplemented_rpc_of_the_service_base_is_unimplemented()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.RunCommandBeginAsync(new BeginCommand()));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
        Assert.Equal("Method takler_protocol.TaklerServer/RunCommandBegin is unimplemented.", ex.Detail);
    }

    [Fact]
    public async Task Unknown_method_returns_unimplemented()
    {
        var unknown = new GrpcMethod<PingRequest, PingResponse>(
            MethodType.Unary, "takler_protocol.TaklerServer", "NoSuchMethod", PingRequest.Parser, PingResponse.Parser);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _channel.CreateCallInvoker().UnaryAsync(unknown, new PingRequest()));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task Deadline_exceeded_fails_the_call_and_cancels_the_handler()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(
            () => _client.QueryCoroutineAsync(new CoroutineRequest(), deadline: Timeouts.Deadline(TimeSpan.FromMilliseconds(300))));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        var context = await _server.Service.SlowCallCancelled.WaitAsync(Timeouts.Event);
        Assert.True(context.CancellationToken.IsCancellationRequested);
    }

    [Fact]
    public async Task Deadline_already_past_fails_without_sending()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(
            () => _client.RunRequestPingAsync(new PingRequest(), deadline: Timeouts.Deadline(TimeSpan.FromSeconds(-1))));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Null(_server.Service.LastContext);
    }

    [Fact]
    public async Task Caller_cancellation_throws_operation_cancelled_and_cancels_the_handler()
    {
        using var cancel = new CancellationTokenSource();
        var call = _client.QueryCoroutineAsync(new CoroutineRequest(), cancellationToken: cancel.Token);
        await _server.Service.SlowCallStarted.WaitAsync(Timeouts.Event);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await _server.Service.SlowCallCancelled.WaitAsync(Timeouts.Event);
    }

    [Fact]
    public async Task Connection_refused_is_unavailable()
    {
        using var channel = GrpcChannel.ForHost("127.0.0.1", ClosedPort());
        var client = new TaklerServerClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.RunRequestPingAsync(new PingRequest()));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task Request_of_5_MiB_is_resource_exhausted_and_the_server_still_answers()
    {
        var load = new LoadCommand { FlowType = "json", Flow = Google.Protobuf.ByteString.CopyFrom(new byte[5 * 1024 * 1024]) };

        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.RunCommandLoadAsync(load));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.NotNull(await _client.RunRequestPingAsync(new PingRequest()));
    }

    [Fact]
    public async Task Request_just_under_4_MiB_is_served()
    {
        var load = new LoadCommand { FlowType = "json", Flow = Google.Protobuf.ByteString.CopyFrom(new byte[(4 * 1024 * 1024) - 64]) };

        var response = await _client.RunCommandLoadAsync(load);

        Assert.Equal($"loaded {(4 * 1024 * 1024) - 64} bytes", response.Message);
    }

    [Fact]
    public async Task Response_over_the_client_limit_is_resource_exhausted()
    {
        using var channel = _server.CreateChannel(new GrpcChannelOptions { MaxReceiveMessageSize = 100 });
        var client = new TaklerServerClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(
            () => client.RunChildCommandAsync(new ChildCommandRequest { Extension = new() { TryNo = 1000 } }));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.NotNull(await client.RunRequestPingAsync(new PingRequest()));
    }

    [Fact]
    public async Task Request_over_the_client_send_limit_fails_before_sending()
    {
        using var channel = _server.CreateChannel(new GrpcChannelOptions { MaxSendMessageSize = 10 });
        var client = new TaklerServerClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(
            () => client.RunCommandAbortAsync(new AbortCommand { Reason = "longer than ten bytes" }));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Concurrent_calls_share_one_channel()
    {
        var calls = Enumerable.Range(0, 200)
            .Select(i => _client.RunCommandInitAsync(new InitCommand { ChildOptions = new() { NodePath = "/f/t" }, TaskId = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
            .ToList();

        var responses = await Task.WhenAll(calls);

        for (var i = 0; i < responses.Length; i++)
        {
            Assert.Equal($"init /f/t task_id={i} pass= user=", responses[i].Message);
        }
    }

    [Fact]
    public async Task Calls_after_a_failed_call_reuse_the_channel()
    {
        await Assert.ThrowsAsync<RpcException>(() => _client.RunCommandEventAsync(new EventCommand()));

        Assert.NotNull(await _client.RunRequestPingAsync(new PingRequest()));
        Assert.NotNull(await _client.RunRequestPingAsync(new PingRequest()));
    }

    [Fact]
    public void Ipv6_host_is_bracketed()
    {
        using var channel = GrpcChannel.ForHost("::1", 33083);

        Assert.Equal(new Uri("http://[::1]:33083"), channel.Address);
    }

    [Fact]
    public void Address_without_http_scheme_is_refused() =>
        Assert.Throws<ArgumentException>(() => GrpcChannel.ForAddress(new Uri("ftp://localhost:33083")));

    private static int ClosedPort()
    {
        // A port that was free a moment ago and has no listener now.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
