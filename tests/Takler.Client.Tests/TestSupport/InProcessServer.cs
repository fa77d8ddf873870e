using Takler.Server.Hosting;

namespace Takler.Client.Tests.TestSupport;

/// <summary>A real <see cref="TaklerServer"/> on a free loopback port, with a <see cref="RecordingJobRunner"/>.</summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private InProcessServer(TaklerServer server, RecordingJobRunner jobs)
    {
        Server = server;
        Jobs = jobs;
    }

    public TaklerServer Server { get; }

    public RecordingJobRunner Jobs { get; }

    public int Port => Server.Port;

    public static async Task<InProcessServer> StartAsync(int port = 0, Action<TaklerServer>? prepare = null, bool allowPasswordlessChild = true)
    {
        var jobs = new RecordingJobRunner(rid: "4242");
        var home = Path.Combine(Path.GetTempPath(), "takler-client-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        var server = new TaklerServer(new TaklerServerOptions { Port = port, LoopbackOnly = true, Home = home, AllowPasswordlessChild = allowPasswordlessChild }, jobs);
        prepare?.Invoke(server);
        await server.StartAsync();
        return new InProcessServer(server, jobs);
    }

    /// <summary>A client of this server that ignores the process environment.</summary>
    public TaklerServiceClient Client(TaklerClientOptions? options = null)
    {
        options ??= new TaklerClientOptions();
        options.Environment ??= _ => null;
        return new TaklerServiceClient("127.0.0.1", Port, options);
    }

    public async ValueTask DisposeAsync() => await Server.StopAsync();
}
