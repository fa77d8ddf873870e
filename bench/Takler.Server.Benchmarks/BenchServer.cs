using Takler.Core.Nodes;
using Takler.Protocol;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;
using Takler.Server.Hosting;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Benchmarks;

/// <summary>An in-process server on a loopback port with <see cref="BenchJobRunner"/>, and client connections to it.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly List<GrpcChannel> _channels = [];

    private BenchServer(TaklerServer server, BenchJobRunner jobs)
    {
        Server = server;
        Jobs = jobs;
    }

    public TaklerServer Server { get; }

    public BenchJobRunner Jobs { get; }

    /// <summary>Starts a server with the flows <paramref name="build"/> adds; no periodic pass gets in the way (1 hour).</summary>
    public static async Task<BenchServer> StartAsync(Action<Bunch> build)
    {
        var jobs = new BenchJobRunner();
        var server = new TaklerServer(new TaklerServerOptions { Port = 0, LoopbackOnly = true, Interval = TimeSpan.FromHours(1) }, jobs);
        build(server.Bunch);
        await server.StartAsync().ConfigureAwait(false);
        return new BenchServer(server, jobs);
    }

    /// <summary>A client on a connection of its own (a separate <see cref="GrpcChannel"/>).</summary>
    public TaklerServerClient Connect(int maxReceiveMessageSize = 4 << 20)
    {
        var channel = GrpcChannel.ForHost("127.0.0.1", Server.Port, new GrpcChannelOptions { MaxReceiveMessageSize = maxReceiveMessageSize });
        _channels.Add(channel);
        return new TaklerServerClient(channel);
    }

    /// <summary>Metadata carrying a job's password, as a job sends it.</summary>
    public static Metadata Pass(string password) => new() { { TaklerMetadataKeys.Password, password } };

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        await Server.DisposeAsync().ConfigureAwait(false);
    }
}
