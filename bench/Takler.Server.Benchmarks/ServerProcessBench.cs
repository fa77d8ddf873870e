using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Takler.Protocol;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;

namespace Takler.Server.Benchmarks;

/// <summary>
/// The built `takler_server` as a separate process, as ecFlow's server runs: started with
/// `--allow-passwordless-child` and a `.def` of tasks with a meter each, begun, every task forced active, then
/// `meter` child commands without a password (as Takler's own jobs send them) from this process.
/// </summary>
internal sealed class ServerProcessBench : IAsyncDisposable
{
    private const int Tasks = 64;
    private readonly Process _server;
    private readonly string _home;
    private readonly List<GrpcChannel> _channels = [];

    private ServerProcessBench(Process server, string home, int port)
    {
        _server = server;
        _home = home;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The built `takler_server.dll`; <c>TAKLER_BENCH_SERVER_DLL</c> points elsewhere (e.g. a copy of an older build).</summary>
    public static string ServerDll { get; } = Environment.GetEnvironmentVariable("TAKLER_BENCH_SERVER_DLL") is { Length: > 0 } dll
        ? dll
        : typeof(ServerProcessBench).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ServerHostDll").Value!;

    public static async Task<ServerProcessBench> StartAsync(string sync = "full")
    {
        var home = Directory.CreateTempSubdirectory("takler-bench-").FullName;
        var def = Path.Combine(home, "bench.def");
        var text = new System.Text.StringBuilder("suite bench\n");
        for (var i = 0; i < Tasks; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  task t{i}\n    meter m 0 2000000000 0\n");
        }

        await File.WriteAllTextAsync(def, text.Append("endsuite\n").ToString()).ConfigureAwait(false);
        int port;
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = home,
        };
        // TAKLER_BENCH_SERVER_ARGS: more options for the server, e.g. "--no-audit".
        var extra = Environment.GetEnvironmentVariable("TAKLER_BENCH_SERVER_ARGS")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        foreach (var a in (string[])[ServerDll, "--port", port.ToString(CultureInfo.InvariantCulture), "--home", home, "--loopback-only", "--allow-passwordless-child", "--sync", sync, "--load", def, .. extra])
        {
            start.ArgumentList.Add(a);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = Process.Start(start)!;
        server.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("start server...done", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        server.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                ready.TrySetException(new InvalidOperationException($"takler_server: {e.Data}"));
            }
        };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var bench = new ServerProcessBench(server, home, port);
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            var client = bench.Connect();
            ChildCommandBench.Check(await client.RunCommandBeginAsync(new BeginCommand { FlowName = "bench" }).ConfigureAwait(false));

            // No scripts: each submission fails, and forcing the task active makes it a running job's task either way.
            var force = new ForceCommand { State = ForceCommand.Types.ForceState.Active, Recursive = false };
            force.Path.AddRange(Paths(Tasks));
            ChildCommandBench.Check(await client.RunCommandForceAsync(force).ConfigureAwait(false));
            return bench;
        }
        catch
        {
            await bench.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Child commands per second from <paramref name="connections"/> connections, <paramref name="inFlight"/> calls each.</summary>
    public async Task<ThroughputResult> MeasureAsync(int connections, int inFlight, TimeSpan warmup, TimeSpan duration)
    {
        var clients = Enumerable.Range(0, connections).Select(_ => Connect()).ToList();
        var paths = Paths(connections * inFlight);
        using var self = Process.GetCurrentProcess();
        return await ChildCommandBench.MeasureAsync(
            clients,
            paths,
            paths.Select(_ => (Metadata?)null).ToList(),
            warmup,
            duration,
            pingOnly: false,
            () =>
            {
                self.Refresh();
                _server.Refresh();
                return self.TotalProcessorTime + _server.TotalProcessorTime;
            },
            () =>
            {
                _server.Refresh();
                return _server.TotalProcessorTime;
            }).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        await ServerShutdown.StopAsync(_server, async () =>
        {
            using var term = Process.Start("/bin/kill", ["-TERM", _server.Id.ToString(CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync().ConfigureAwait(false);
        }).ConfigureAwait(false);

        _server.Dispose();
        Directory.Delete(_home, recursive: true);
    }

    private static List<string> Paths(int count) =>
        Enumerable.Range(0, Math.Min(count, Tasks)).Select(i => $"/bench/t{i}").ToList();

    private TaklerServerClient Connect()
    {
        var channel = GrpcChannel.ForHost("127.0.0.1", Port);
        _channels.Add(channel);
        return new TaklerServerClient(channel);
    }
}
