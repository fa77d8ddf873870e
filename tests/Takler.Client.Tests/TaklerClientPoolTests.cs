using System.Net;
using System.Net.Sockets;
using Takler.Client.Tests.TestSupport;
using Takler.Protocol;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;

namespace Takler.Client.Tests;

/// <summary>The same request to many servers: three real servers, one of them down.</summary>
public sealed class TaklerClientPoolTests : IAsyncLifetime
{
    private InProcessServer _first = null!;
    private InProcessServer _third = null!;
    private ServerAddress[] _servers = [];
    private ServerAddress _down = null!;

    public async Task InitializeAsync()
    {
        _first = await InProcessServer.StartAsync();
        _third = await InProcessServer.StartAsync();
        _down = new ServerAddress("127.0.0.1", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        _servers = [Address(_first), _down, Address(_third)];
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _third.DisposeAsync();
    }

    private static ServerAddress Address(InProcessServer server) => new("127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>One attempt per call, so a server that is down fails at once.</summary>
    private static TaklerClientOptions OneAttempt() => new()
    {
        Environment = _ => null,
        Log = _ => { },
        Retry = new Takler.Client.Retry.RetryOptions { QueryWindow = TimeSpan.Zero, ControlWindow = TimeSpan.Zero, AttemptTimeout = TimeSpan.FromSeconds(20) },
    };

    [Fact]
    public async Task WhenAll_gives_every_result_in_submission_order_with_the_failure_as_a_result()
    {
        using var pool = new TaklerClientPool(OneAttempt());

        var results = await pool.WhenAll(_servers, async (client, ct) => (await client.StatsAsync(ct)).Port);

        Assert.Equal([0, 1, 2], results.Select(r => r.Index));
        Assert.Equal(_servers, results.Select(r => r.Server));
        Assert.Equal([true, false, true], results.Select(r => r.Succeeded));
        Assert.Equal(_first.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), results[0].Value);
        Assert.Equal(_third.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), results[2].Value);
        var error = Assert.IsType<TaklerClientException>(results[1].Error);
        Assert.Equal("ClientConnectionError", error.ErrorType);
        Assert.Equal(_down.ToString(), error.Server);
        Assert.Equal(4, error.ExitCode);
    }

    [Fact]
    public async Task AsAsyncEnumerable_yields_each_result_and_gives_up_a_silent_server_at_the_timeout()
    {
        // A server that accepts the connection and never answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await silent.AcceptSocketAsync());
            }
        });
        var silentAddress = new ServerAddress("127.0.0.1", ((IPEndPoint)silent.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var pool = new TaklerClientPool(OneAttempt());

        var results = new List<PoolResult<TimeSpan>>();
        await foreach (var result in pool.AsAsyncEnumerable([.. _servers, silentAddress], (client, ct) => client.PingAsync(ct), TimeSpan.FromSeconds(3)))
        {
            results.Add(result);
        }

        Assert.Equal([0, 1, 2, 3], results.Select(r => r.Index).Order());
        Assert.Equal(3, results[^1].Index); // the timed-out one comes last
        Assert.True(results[^1].TimedOut);
        Assert.Equal("TimeoutError: no answer from " + silentAddress + " within 3 s", results[^1].Error!.Message);
        Assert.True(results.Single(r => r.Index == 0).Succeeded);
        Assert.False(results.Single(r => r.Index == 1).Succeeded);
        Assert.False(results.Single(r => r.Index == 1).TimedOut);
        Assert.True(results.Single(r => r.Index == 2).Succeeded);
        foreach (var socket in accepted.ToList())
        {
            socket.Dispose();
        }
    }

    [Fact]
    public async Task At_most_simultaneous_requests_are_in_flight_per_server()
    {
        var invoker = new GatedInvoker(open: 2);
        var options = OneAttempt();
        options.CallInvokerFactory = _ => invoker;
        using var pool = new TaklerClientPool(options);
        Assert.Equal(2, pool.Simultaneous);

        var all = pool.WhenAll(Enumerable.Repeat(_down, 5), (client, ct) => client.PingAsync(ct));
        var results = await all.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.ToString()));
        Assert.Equal(2, invoker.MaxInFlight);
        Assert.Equal(5, invoker.Calls);
    }

    /// <summary>Holds calls until <c>open</c> of them are in flight together, then lets every call through.</summary>
    private sealed class GatedInvoker(int open) : CallInvoker
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;
        private int _max;
        private int _calls;

        public int MaxInFlight => Volatile.Read(ref _max);

        public int Calls => Volatile.Read(ref _calls);

        public override async Task<TResponse> UnaryAsync<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, TRequest request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _max, now);
            if (now >= open)
            {
                _gate.TrySetResult();
            }

            await _gate.Task.WaitAsync(cancellationToken);
            Interlocked.Decrement(ref _inFlight);
            return (TResponse)(object)new PingResponse();
        }

        public override IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, TRequest request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }
}
