using Takler.Client.Tests.TestSupport;
using Takler.Protocol;
using Takler.Protocol.Grpc;

namespace Takler.Client.Tests.Retry;

/// <summary>The retry loop on a fake clock: the delays asked for, the give-up message, what is never retried.</summary>
public sealed class RetryLoopTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly List<TimeSpan> _delays = [];
    private readonly List<string> _log = [];

    private TaklerServiceClient Client(ScriptedInvoker invoker, string? timeout = null) => new(
        new ServerAddress("db1", "33083"),
        new TaklerClientOptions
        {
            TimeProvider = _time,
            Delay = (delay, _) =>
            {
                _delays.Add(delay);
                _time.Advance(delay);
                return Task.CompletedTask;
            },
            Log = _log.Add,
            Environment = name => name == "TAKLER_TIMEOUT" ? timeout : null,
            CallInvokerFactory = _ => invoker,
        });

    [Fact]
    public async Task Control_command_backs_off_then_gives_up_after_its_window()
    {
        var invoker = new ScriptedInvoker((_, _) => StatusCode.Unavailable);
        using var client = Client(invoker);

        var e = await Assert.ThrowsAsync<TaklerClientException>(() => client.RequeueAsync(["/f/t"]));

        // 1+2+4+8+16+29 (clipped) = 60 s of waiting, then the 7th attempt fails with nothing left.
        Assert.Equal([1, 2, 4, 8, 16, 29], _delays.Select(d => d.TotalSeconds));
        Assert.Equal(7, invoker.Calls);
        Assert.Equal("ClientConnectionError: server db1:33083 is unreachable after 7 attempts, last gRPC status UNAVAILABLE", e.Message);
        Assert.Equal(ServiceResponseFlag.ClientConnection, e.ErrorCode);
        Assert.Equal(4, e.ExitCode);
        Assert.False(e.IsServerResponse);
        Assert.Equal("db1:33083", e.Server);
        Assert.Equal("requeue", e.Command);
        Assert.Equal(["/f/t"], e.Paths);
        Assert.Equal(6, _log.Count);
        Assert.Equal("2026-01-01T00:00:00.000+00:00 WARNING client retry requeue to db1:33083: elapsed=0.0s, status=UNAVAILABLE", _log[0]);
        Assert.EndsWith("WARNING client retry requeue to db1:33083: elapsed=31.0s, status=UNAVAILABLE", _log[5], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Child_command_keeps_retrying_for_a_day_and_succeeds_when_the_server_answers()
    {
        var invoker = new ScriptedInvoker((n, _) => n < 30 ? StatusCode.DeadlineExceeded : new ServiceResponse());
        using var client = Client(invoker);

        await client.CompleteAsync("/f/t");

        Assert.Equal(30, invoker.Calls);
        Assert.Equal([1, 2, 4, 8, 16, 32], _delays.Take(6).Select(d => d.TotalSeconds));
        Assert.All(_delays.Skip(6), d => Assert.Equal(60, d.TotalSeconds));
    }

    [Fact]
    public async Task Takler_timeout_zero_makes_exactly_one_attempt()
    {
        var invoker = new ScriptedInvoker((_, _) => StatusCode.Unavailable);
        using var client = Client(invoker, timeout: "0");

        var e = await Assert.ThrowsAsync<TaklerClientException>(() => client.PingAsync());

        Assert.Equal(1, invoker.Calls);
        Assert.Empty(_delays);
        Assert.Equal("ClientConnectionError: server db1:33083 is unreachable after 1 attempts, last gRPC status UNAVAILABLE", e.Message);
    }

    [Fact]
    public async Task Takler_timeout_three_makes_attempts_at_zero_one_and_three_seconds()
    {
        var times = new List<double>();
        var start = _time.GetTimestamp();
        var invoker = new ScriptedInvoker((_, _) =>
        {
            times.Add(_time.GetElapsedTime(start).TotalSeconds);
            return StatusCode.Unavailable;
        });
        using var client = Client(invoker, timeout: "3");

        await Assert.ThrowsAsync<TaklerClientException>(() => client.InitAsync("/f/t", "j1"));

        Assert.Equal([0, 1, 3], times);
    }

    [Fact]
    public async Task Invalid_takler_timeout_logs_a_warning_line()
    {
        var invoker = new ScriptedInvoker((_, _) => new PingResponse());
        using var client = Client(invoker, timeout: "1.5");

        await client.PingAsync();

        Assert.Equal(["2026-01-01T00:00:00.000+00:00 WARNING client invalid TAKLER_TIMEOUT value '1.5'; falling back to 60 seconds for query commands."], _log);
    }

    [Fact]
    public async Task A_command_the_server_answered_is_never_retried()
    {
        var invoker = new ScriptedInvoker((_, _) => new ServiceResponse { Flag = 10, Message = "NodeNotFoundError: node is not found: /f/x" });
        using var client = Client(invoker);

        var e = await Assert.ThrowsAsync<TaklerClientException>(() => client.SuspendAsync(["/f/x"]));

        Assert.Equal(1, invoker.Calls);
        Assert.True(e.IsServerResponse);
        Assert.Equal(ServiceResponseFlag.NodeNotFound, e.ErrorCode);
        Assert.Equal("node_not_found", e.FlagName);
        Assert.Equal("NodeNotFoundError: node is not found: /f/x", e.ServerMessage);
        Assert.Equal("node_not_found: NodeNotFoundError: node is not found: /f/x", e.Message);
        Assert.Equal(1, e.ExitCode);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument, "InvalidRequestError", ServiceResponseFlag.InvalidRequest, 1)]
    [InlineData(StatusCode.NotFound, "NodeNotFoundError", ServiceResponseFlag.NodeNotFound, 1)]
    [InlineData(StatusCode.PermissionDenied, "PermissionDeniedError", ServiceResponseFlag.PermissionDenied, TaklerClientException.AccessDeniedExitCode)]
    [InlineData(StatusCode.Unauthenticated, "PermissionDeniedError", ServiceResponseFlag.PermissionDenied, TaklerClientException.AccessDeniedExitCode)]
    [InlineData(StatusCode.Internal, "TransportError", ServiceResponseFlag.Transport, 4)]
    [InlineData(StatusCode.Unimplemented, "TransportError", ServiceResponseFlag.Transport, 4)]
    public async Task Non_retryable_statuses_fail_at_once(StatusCode code, string type, ServiceResponseFlag flag, int exit)
    {
        var invoker = new ScriptedInvoker((_, _) => code);
        using var client = Client(invoker);

        var e = await Assert.ThrowsAsync<TaklerClientException>(() => client.BeginAsync("f"));

        Assert.Equal(1, invoker.Calls);
        Assert.Equal($"{type}: begin on server db1:33083 failed with gRPC status {code.ToCanonicalName()}: scripted {code}", e.Message);
        Assert.Equal(flag, e.ErrorCode);
        Assert.Equal(exit, e.ExitCode);
        Assert.Equal(code, e.GrpcStatus);
    }

    [Fact]
    public async Task Child_command_falls_back_to_Takler_rpc_with_the_password_as_metadata()
    {
        var invoker = new ScriptedInvoker((_, method) => method == "RunChildCommand" ? StatusCode.Unimplemented : new ServiceResponse());
        using var client = Client(invoker);
        client.Job = new JobIdentity("s3cret", 2, "777");

        await client.EventAsync("/f/t", "e1");

        Assert.Equal(["RunChildCommand", "RunCommandEvent"], invoker.Methods);
        Assert.All(invoker.Headers, h => Assert.Equal("s3cret", h!.GetValue("takler-pass")));
    }

    [Fact]
    public async Task Why_returns_the_reasons_and_query_flags_are_errors()
    {
        var invoker = new ScriptedInvoker((n, _) => n == 1
            ? new WhyResponse { Reasons = { "trigger is false: t1 == complete", "suspended" } }
            : new WhyResponse { Flag = 10, Message = "NodeNotFoundError: node is not found: /x" });
        using var client = Client(invoker);

        Assert.Equal(["trigger is false: t1 == complete", "suspended"], await client.WhyAsync("/f/t2"));
        var e = await Assert.ThrowsAsync<TaklerClientException>(() => client.WhyAsync("/x"));
        Assert.Equal("node_not_found: NodeNotFoundError: node is not found: /x", e.Message);
        Assert.Equal(["/x"], e.Paths);
    }

    [Fact]
    public async Task Show_error_output_is_a_server_response_error()
    {
        var invoker = new ScriptedInvoker((_, _) => new ShowResponse { Output = "error: TaklerError: boom" });
        using var client = Client(invoker);

        var e = await Assert.ThrowsAsync<TaklerClientException>(() => client.ShowAsync());

        Assert.Equal("ServerResponseError: server returned an error for show: error: TaklerError: boom", e.Message);
        Assert.Equal(3, e.ExitCode);
    }

    [Fact]
    public async Task Show_output_that_is_not_json_is_a_server_response_error()
    {
        var invoker = new ScriptedInvoker((_, _) => new ShowResponse { Output = "not json " + new string('x', 300) });
        using var client = Client(invoker);

        var e = await Assert.ThrowsAsync<TaklerClientException>(() => client.ShowAsync());

        Assert.Equal("ServerResponseError: show response is not valid json: " + ("not json " + new string('x', 300))[..200], e.Message);
    }
}
