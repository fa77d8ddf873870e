using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Takler.Protocol;
using Takler.Protocol.Grpc.Client;

namespace Takler.Server.Tests.Storage;

/// <summary>A real `takler_server` process (the built Takler.ServerHost, run with `dotnet`), on a free loopback port.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>takler_server.dll as built next to the tests (same configuration).</summary>
    public static string Dll
    {
        get
        {
            var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = baseDir.Parent!.Name; // bin/<configuration>/net10.0
            var root = baseDir;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Takler.slnx")))
            {
                root = root.Parent;
            }

            var dll = Path.Combine(root!.FullName, "src", "Takler.ServerHost", "bin", configuration, baseDir.Name, "takler_server.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"build src/Takler.ServerHost -c {configuration} first", dll);
        }
    }

    /// <summary>A port nothing listens on now (the system's pick for port 0).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the server and waits until it answers a ping.</summary>
    public static async Task<ServerProcess> StartAsync(string home, int port, params string[] arguments)
    {
        var server = Launch(home, port, arguments);
        using var channel = GrpcChannel.ForHost("127.0.0.1", port);
        var client = new TaklerServerClient(channel.CreateCallInvoker());
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (server._process.HasExited)
            {
                throw new InvalidOperationException($"takler_server exited with {server._process.ExitCode}: {server.Output}");
            }

            try
            {
                await client.RunRequestPingAsync(new PingRequest(), deadline: TimeProvider.System.GetUtcNow().AddSeconds(2));
                return server;
            }
#pragma warning disable CA1031 // Not up yet: any failure means try again.
            catch (Exception) when (watch.Elapsed < TimeSpan.FromSeconds(30))
#pragma warning restore CA1031
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Runs the server expecting it to exit (a refused start); returns its exit code and stderr.</summary>
    public static async Task<(int ExitCode, string Error)> RunToExitAsync(string home, int port, params string[] arguments)
    {
        await using var server = Launch(home, port, arguments);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await server._process.WaitForExitAsync(timeout.Token);
        return (server._process.ExitCode, server.Errors.ToString());
    }

    /// <summary>`kill -9`: no shutdown, no flush.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private StringBuilder Errors { get; } = new();

    private static ServerProcess Launch(string home, int port, string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var a in (string[])["--home", home, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--loopback-only", "--log-level", "Warning"])
        {
            info.ArgumentList.Add(a);
        }

        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data, error: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Append(string? line, bool error)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (error)
            {
                Errors.AppendLine(line);
            }
        }
    }
}
