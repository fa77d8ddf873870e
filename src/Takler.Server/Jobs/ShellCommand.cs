using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Takler.Server.Jobs;

/// <summary>Runs a script with <c>shell -c</c>, capturing its output, with a timeout.</summary>
internal static class ShellCommand
{
    /// <summary>How long to keep reading output after the shell exits: a background child may hold the pipes open.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="script"/>; <c>$0</c> is the shell, <c>$1</c>... are <paramref name="arguments"/>.</summary>
    public static async Task<ShellCommandResult> RunAsync(
        string shell,
        string script,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string? workingDirectory,
        TimeSpan timeout,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(shell)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(shell);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        if (workingDirectory is not null && Directory.Exists(workingDirectory))
        {
            start.WorkingDirectory = workingDirectory;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            return new ShellCommandResult(-1, string.Empty, string.Empty, false, e.Message);
        }

        process.StandardInput.Close();
        var stdout = new OutputPump(process.StandardOutput);
        var stderr = new OutputPump(process.StandardError);

        var timedOut = false;
        using (var timeoutSource = new CancellationTokenSource(timeout, timeProvider))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token))
        {
            try
            {
                await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                KillTree(process);
                cancellationToken.ThrowIfCancellationRequested();
                timedOut = true;
            }
        }

        try
        {
            await Task.WhenAll(stdout.Completion, stderr.Completion).WaitAsync(DrainTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Keep what was read; the rest belongs to a background process that kept our pipes.
        }

        var exitCode = process.HasExited ? process.ExitCode : -1;
        return new ShellCommandResult(exitCode, stdout.Text, stderr.Text, timedOut, null);
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    /// <summary>Reads a stream to its end in the background; the text read so far is available at any time.</summary>
    private sealed class OutputPump
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _lock = new();

        public OutputPump(StreamReader reader)
        {
            Completion = PumpAsync(reader);
        }

        public Task Completion { get; }

        public string Text
        {
            get
            {
                lock (_lock)
                {
                    return _text.ToString();
                }
            }
        }

        private async Task PumpAsync(StreamReader reader)
        {
            var buffer = new char[4096];
            try
            {
                int read;
                while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                {
                    lock (_lock)
                    {
                        _text.Append(buffer, 0, read);
                    }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The process is gone and its pipe with it.
            }
        }
    }
}
