using System.Net;
using System.Net.Sockets;
using Takler.Server.Hosting;

namespace Takler.Cli.Tests.TestSupport;

/// <summary>A real <see cref="TaklerServer"/> on a loopback port, with a <see cref="RecordingJobRunner"/>.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(TaklerServer server, RecordingJobRunner jobs)
    {
        Server = server;
        Jobs = jobs;
    }

    public TaklerServer Server { get; }

    public RecordingJobRunner Jobs { get; }

    public int Port => Server.Port;

    /// <summary>--host/--port arguments for this server.</summary>
    public string[] Address => ["--host", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    public static async Task<TestServer> StartAsync(int port = 0, Action<TaklerServer>? prepare = null)
    {
        var jobs = new RecordingJobRunner(rid: "4242");
        var home = Directory.CreateTempSubdirectory("takler-cli-tests").FullName;
        var server = new TaklerServer(new TaklerServerOptions { Port = port, LoopbackOnly = true, Home = home, AllowPasswordlessChild = true }, jobs);
        prepare?.Invoke(server);
        await server.StartAsync();
        return new TestServer(server, jobs);
    }

    /// <summary>A loopback port nobody listens on (just released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync() => await Server.StopAsync();
}
