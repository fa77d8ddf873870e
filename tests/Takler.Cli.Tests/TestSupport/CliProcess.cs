using System.Diagnostics;
using System.Text;

namespace Takler.Cli.Tests.TestSupport;

/// <summary>The built <c>takler_client</c> run as a real process (<c>dotnet takler_client.dll ...</c>).</summary>
public sealed class CliProcess : IDisposable
{
    private static readonly string[] Inherited = ["TAKLER_HOST", "TAKLER_PORT", "TAKLER_NAME", "TAKLER_PASS", "TAKLER_TRY_NO", "TAKLER_RID", "TAKLER_TIMEOUT", "TAKLER_CONNECT_FILE", "TAKLER_HOSTFILE", "NO_TAKLER", "TAKLER_TOKEN", "TAKLER_USER", "TAKLER_KEY", "TAKLER_REGISTRY"];

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

    private CliProcess(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env)
    {
        var start = new ProcessStartInfo(Executable ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (Executable is null)
        {
            start.ArgumentList.Add(DllPath);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in Inherited)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in env ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// A published takler_client to test instead of the built dll (e.g. the Native AOT or ReadyToRun one in
    /// .tools/bin): the environment variable TAKLER_CLIENT_EXE. Null: <c>dotnet takler_client.dll</c>.
    /// </summary>
    public static string? Executable { get; } = Environment.GetEnvironmentVariable("TAKLER_CLIENT_EXE") is { Length: > 0 } exe ? exe : null;

    /// <summary>takler_client.dll beside the test assembly (copied there by the project reference).</summary>
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "takler_client.dll");

    public static CliProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null) => new(args, env);

    /// <summary>Runs to the end (at most <paramref name="timeout"/>, default 60 s) and returns exit code and output.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        using var process = Start(args, env);
        return await process.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>Completes when <paramref name="text"/> appears on stderr.</summary>
    public Task StderrContainsAsync(string text)
    {
        lock (_stderr)
        {
            if (_stderr.ToString().Contains(text, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((text, seen));
            return seen.Task;
        }
    }

    public async Task<CliResult> WaitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        _process.WaitForExit(); // drains the redirected streams
        lock (_stderr)
        {
            return new CliResult(_process.ExitCode, _stdout.ToString(), _stderr.ToString());
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderr)
        {
            target.Append(line).Append('\n');
            if (target == _stderr)
            {
                var text = _stderr.ToString();
                foreach (var wait in _waits.Where(w => text.Contains(w.Text, StringComparison.Ordinal)).ToList())
                {
                    wait.Seen.TrySetResult();
                    _waits.Remove(wait);
                }
            }
        }
    }
}

/// <summary>What a takler_client run produced. Output lines are re-joined with LF.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}--- stderr\n{Stderr}";
}
