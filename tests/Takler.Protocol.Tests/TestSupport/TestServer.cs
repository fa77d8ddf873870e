using System.Net;
using Takler.Protocol.Grpc.Client;
using Takler.Protocol.Grpc.Server;

namespace Takler.Protocol.Tests.TestSupport;

/// <summary>Kestrel on 127.0.0.1 with a free port, serving <see cref="FakeTaklerService"/> and <see cref="TestStreams"/>.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly GrpcServerHost _host;

    private TestServer(GrpcServerHost host, FakeTaklerService service, TaskCompletionSource<bool> streamCancelled)
    {
        _host = host;
        Service = service;
        StreamCancelled = streamCancelled;
    }

    public FakeTaklerService Service { get; }

    /// <summary>Completes when the "hang" stream sees its token cancelled.</summary>
    public TaskCompletionSource<bool> StreamCancelled { get; }

    public int Port => _host.Port;

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public static async Task<TestServer> StartAsync(GrpcServerOptions? options = null)
    {
        var service = new FakeTaklerService();
        var router = new GrpcRouter(options);
        service.BindService(router);
        var streamCancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        TestStreams.Map(router, streamCancelled);
        var host = await GrpcServerHost.StartAsync(router, new IPEndPoint(IPAddress.Loopback, 0));
        return new TestServer(host, service, streamCancelled);
    }

    public GrpcChannel CreateChannel(GrpcChannelOptions? options = null) => GrpcChannel.ForAddress(Address, options);

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
