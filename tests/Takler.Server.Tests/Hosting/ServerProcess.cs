using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Threading.Channels;
using Takler.Protocol;
using Takler.Protocol.Grpc.Client;

namespace Takler.Server.Tests.Hosting;

/// <summary>
/// The built `takler_server` running as a separate process (`dotnet takler_server.dll ...`) on a free loopback
/// port. Its stdout and stderr are collected line by line; a test waits for a line, never for a time.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>How long a test waits for a log line or for the process to exit.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private GrpcChannel? _channel;

    private ServerProcess(Process process, int port, string home)
    {
        _process = process;
        Port = port;
        Home = home;
    }

    /// <summary>The path of the built `takler_server.dll`.</summary>
    public static string ServerDll { get; } = typeof(ServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ServerHostDll").Value!;

    public int Port { get; }

    /// <summary>The server's home, a fresh temporary directory deleted on dispose.</summary>
    public string Home { get; }

    public int ProcessId => _process.Id;

    /// <summary>A client to the server, made on first use.</summary>
    public TaklerServerClient Client => new((_channel ??= GrpcChannel.ForHost("127.0.0.1", Port)).CreateCallInvoker());

    public IReadOnlyList<string> StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return [.. _stdout];
            }
        }
    }

    public IReadOnlyList<string> StandardError
    {
        get
        {
            lock (_stderr)
            {
                return [.. _stderr];
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>A loopback port nobody listens on: bound to port 0, then released.</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Starts `takler_server --port P --home H --loopback-only` plus <paramref name="arguments"/>.</summary>
    public static ServerProcess Start(IEnumerable<string> arguments, int? port = null, string? home = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var thePort = port ?? FreePort();
        var theHome = home ?? Directory.CreateTempSubdirectory("takler-host-").FullName;
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Directory.Exists(theHome) ? theHome : Path.GetTempPath(),
        };
        startInfo.ArgumentList.Add(ServerDll);
        foreach (var a in (string[])["--port", thePort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--home", theHome, "--loopback-only"])
        {
            startInfo.ArgumentList.Add(a);
        }

        foreach (var a in arguments)
        {
            startInfo.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var server = new ServerProcess(process, thePort, theHome);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data, server._stdout);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data, server._stderr);
        process.Exited += (_, _) => server._exited.TrySetResult();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Starts the server and waits for `start server...done`.</summary>
    public static Task<ServerProcess> StartReadyAsync(params string[] arguments) => StartReadyAsync(null, arguments);

    /// <summary>Starts the server with extra environment variables and waits for `start server...done`.</summary>
    public static async Task<ServerProcess> StartReadyAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var server = Start(arguments, environment: environment);
        try
        {
            await server.WaitForLineAsync("start server...done");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Waits for a stdout or stderr line containing <paramref name="text"/>; lines already seen count.</summary>
    public async Task<string> WaitForLineAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var exited = false;
        try
        {
            while (!exited)
            {
                if (Seen(text) is { } line)
                {
                    return line;
                }

                // Each new line is a wake-up; the lists hold every line.
                var wake = _lines.Reader.WaitToReadAsync(timeout.Token).AsTask();
                if (await Task.WhenAny(wake, _exited.Task) != wake)
                {
                    await _process.WaitForExitAsync(timeout.Token); // reads the rest of the output
                    exited = true;
                }

                while (_lines.Reader.TryRead(out _))
                {
                }
            }

            if (Seen(text) is { } last)
            {
                return last;
            }
        }
        catch (OperationCanceledException)
        {
        }

        var why = exited ? $"the server exited with code {_process.ExitCode}" : $"not within {Patience}";
        throw new TimeoutException($"no line with '{text}': {why}; stdout: {string.Join('\n', StandardOutput)}; stderr: {string.Join('\n', StandardError)}");
    }

    private string? Seen(string text) =>
        StandardOutput.Concat(StandardError).FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Sends a signal with `/bin/kill` (Process can only SIGKILL).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("/bin/kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the process to exit (and its output to be read), returning the exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _exited.Task.WaitAsync(timeout.Token);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // A job may still write there; the temporary directory is left behind.
        }
    }

    private void OnLine(string? line, List<string> into)
    {
        if (line is null)
        {
            return;
        }

        lock (into)
        {
            into.Add(line);
        }

        _lines.Writer.TryWrite(line);
    }
}
