using Takler.Protocol;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;
using Takler.Server.Hosting;

namespace Takler.Server.Tests;

/// <summary>A real server on a loopback port with a recording job runner, and a real gRPC client to it.</summary>
internal sealed class ServerFixture : IAsyncDisposable
{
    private readonly GrpcChannel _channel;

    private ServerFixture(TaklerServer server, RecordingJobRunner jobs)
    {
        Server = server;
        Jobs = jobs;
        _channel = GrpcChannel.ForHost("127.0.0.1", server.Port);
        Client = new TaklerServerClient(_channel.CreateCallInvoker());
    }

    public TaklerServer Server { get; }

    public RecordingJobRunner Jobs { get; }

    public TaklerServerClient Client { get; }

    public static async Task<ServerFixture> StartAsync(Action<TaklerServer>? setUp = null, bool allowPasswordless = false)
    {
        var jobs = new RecordingJobRunner();
        var server = new TaklerServer(
            new TaklerServerOptions { Port = 0, LoopbackOnly = true, Interval = TimeSpan.FromHours(1), AllowPasswordlessChild = allowPasswordless },
            jobs);
        setUp?.Invoke(server);
        await server.StartAsync();
        return new ServerFixture(server, jobs);
    }

    /// <summary>Metadata carrying a job's password.</summary>
    public static Metadata Pass(string password) => new() { { TaklerMetadataKeys.Password, password } };

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Server.DisposeAsync();
    }
}
