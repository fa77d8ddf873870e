using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Takler.Server.Benchmarks;

/// <summary>
/// ecFlow side by side: an `ecflow_server` on a free loopback port with ECF_HOME in a temporary directory, the suite of
/// <c>ecflow/suite.def</c> begun (its job command only records each job's ECF_NAME, ECF_PASS and ECF_TRYNO), and
/// N python3 processes of <c>ecflow/meter_worker.py</c>, each one job sending `meter` child commands through
/// <c>ecflow.Client</c>, started together.
/// </summary>
internal sealed class EcflowBench : IAsyncDisposable
{
    private const int Tasks = 4;
    private readonly string _home;
    private readonly string _python;
    private readonly Process _server;

    private EcflowBench(string home, string python, Process server, int port)
    {
        _home = home;
        _python = python;
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public string Version { get; private set; } = string.Empty;

    /// <summary>Why ecFlow cannot be measured here, or null when it can.</summary>
    public static async Task<string?> WhyNotAvailableAsync()
    {
        foreach (var tool in (string[])["ecflow_server", "ecflow_client"])
        {
            if (FindOnPath(tool) is null)
            {
                return $"{tool} is not on PATH (apt-get install -y ecflow-server ecflow-client python3-ecflow)";
            }
        }

        var (exit, _, error) = await RunAsync(Python(), ["-c", "import ecflow"], Path.GetTempPath()).ConfigureAwait(false);
        return exit == 0 ? null : $"{Python()} cannot import ecflow: {error.Trim()}";
    }

    /// <summary>Starts the server, loads and begins the suite, and waits for every job's credentials.</summary>
    public static async Task<EcflowBench> StartAsync()
    {
        var home = Directory.CreateTempSubdirectory("ecflow-bench-").FullName;
        var suite = Path.Combine(home, "bench");
        Directory.CreateDirectory(suite);
        for (var i = 0; i < Tasks; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(suite, $"t{i}.ecf"), "exit 0\n").ConfigureAwait(false);
        }

        var port = FreePort();
        var start = new ProcessStartInfo("ecflow_server")
        {
            WorkingDirectory = home,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add($"--port={port}");
        start.Environment["ECF_HOME"] = home;
        start.Environment["ECF_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var bench = new EcflowBench(home, Python(), server, port);
        try
        {
            await bench.WaitAsync(async () => (await bench.ClientAsync("--ping").ConfigureAwait(false)).ExitCode == 0, "ecflow_server to answer ping").ConfigureAwait(false);
            bench.Version = (await bench.ClientAsync("--server_version").ConfigureAwait(false)).Output.Trim();
            var def = Path.Combine(AppContext.BaseDirectory, "ecflow", "suite.def");
            foreach (var args in (string[][])[["--load", def], ["--begin", "bench"], ["--restart"]])
            {
                var (exit, output) = await bench.ClientAsync(args).ConfigureAwait(false);
                if (exit != 0)
                {
                    throw new InvalidOperationException($"ecflow_client {string.Join(' ', args)} failed: {output}");
                }
            }

            await bench.WaitAsync(
                () => Task.FromResult(Enumerable.Range(0, Tasks).All(i => File.Exists(Path.Combine(home, $"t{i}.pass")))),
                "every job's credentials").ConfigureAwait(false);
            return bench;
        }
        catch
        {
            await bench.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Child commands per second with <paramref name="processes"/> jobs (python processes) at once.</summary>
    public async Task<ThroughputResult> MeasureAsync(int processes, TimeSpan warmup, TimeSpan duration)
    {
        var workers = new List<Process>();
        try
        {
            var script = Path.Combine(AppContext.BaseDirectory, "ecflow", "meter_worker.py");
            for (var i = 0; i < processes; i++)
            {
                var start = new ProcessStartInfo(_python)
                {
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                foreach (var a in (string[])[script, Port.ToString(CultureInfo.InvariantCulture), Path.Combine(_home, $"t{i % Tasks}.pass"), Seconds(warmup), Seconds(duration)])
                {
                    start.ArgumentList.Add(a);
                }

                workers.Add(Process.Start(start)!);
            }

            foreach (var worker in workers)
            {
                var ready = await worker.StandardOutput.ReadLineAsync().ConfigureAwait(false);
                if (ready != "ready")
                {
                    throw new InvalidOperationException($"meter_worker.py did not start: {ready} {await worker.StandardError.ReadToEndAsync().ConfigureAwait(false)}");
                }
            }

            foreach (var worker in workers)
            {
                await worker.StandardInput.WriteLineAsync("go").ConfigureAwait(false);
                await worker.StandardInput.FlushAsync().ConfigureAwait(false);
            }

            // The server's CPU over the measured window (the workers measure the same window after their warm-up).
            await Task.Delay(warmup).ConfigureAwait(false);
            _server.Refresh();
            var serverBefore = _server.TotalProcessorTime;
            await Task.Delay(duration).ConfigureAwait(false);
            _server.Refresh();
            var serverUsed = _server.TotalProcessorTime - serverBefore;

            long calls = 0;
            var p50s = new List<double>();
            var p99 = 0.0;
            foreach (var worker in workers)
            {
                var line = await worker.StandardOutput.ReadLineAsync().ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"meter_worker.py failed: {await worker.StandardError.ReadToEndAsync().ConfigureAwait(false)}");
                var parts = line.Split(' ');
                calls += long.Parse(parts[0], CultureInfo.InvariantCulture);
                p50s.Add(double.Parse(parts[2], CultureInfo.InvariantCulture));
                p99 = Math.Max(p99, double.Parse(parts[3], CultureInfo.InvariantCulture));
                await worker.WaitForExitAsync().ConfigureAwait(false);
            }

            p50s.Sort();
            return new ThroughputResult(calls, duration.TotalSeconds, p50s[p50s.Count / 2], p99, double.NaN)
            {
                ServerCpuMicrosPerCall = serverUsed.TotalMicroseconds / Math.Max(1, calls),
            };
        }
        finally
        {
            foreach (var worker in workers)
            {
                if (!worker.HasExited)
                {
                    worker.Kill();
                }

                worker.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ServerShutdown.StopAsync(_server, async () =>
        {
            await ClientAsync("--halt=yes").ConfigureAwait(false);
            await ClientAsync("--terminate=yes").ConfigureAwait(false);
        }).ConfigureAwait(false);

        _server.Dispose();
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    private static string Python() => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);

    private async Task<(int ExitCode, string Output)> ClientAsync(params string[] args)
    {
        var (exit, output, error) = await RunAsync("ecflow_client", [$"--port={Port}", .. args], _home).ConfigureAwait(false);
        return (exit, output + error);
    }

    private async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (20 * Stopwatch.Frequency);
        while (!await condition().ConfigureAwait(false))
        {
            if (Stopwatch.GetTimestamp() > deadline || _server.HasExited)
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, IEnumerable<string> args, string directory)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
