namespace Takler.Server.Jobs;

/// <summary>How a command run through the shell ended.</summary>
/// <param name="ExitCode">The exit status (meaningless when it did not start or timed out).</param>
/// <param name="Stdout">Its standard output.</param>
/// <param name="Stderr">Its standard error.</param>
/// <param name="TimedOut">True when it was killed for running too long.</param>
/// <param name="StartError">Why it could not start, or null.</param>
internal sealed record ShellCommandResult(int ExitCode, string Stdout, string Stderr, bool TimedOut, string? StartError)
{
    /// <summary>At most this many lines of stderr go into a failure reason.</summary>
    public const int ReasonStderrLines = 5;

    public bool Success => StartError is null && !TimedOut && ExitCode == 0;

    public JobErrorCode Error => Success ? JobErrorCode.None : TimedOut ? JobErrorCode.CommandTimedOut : JobErrorCode.CommandFailed;

    /// <summary>The failure as a reason: <c>submit command failed with exit status 3: line; line</c>.</summary>
    public string Describe(string what, TimeSpan timeout)
    {
        if (StartError is not null)
        {
            return $"{what} could not start: {StartError}";
        }

        if (TimedOut)
        {
            return $"{what} timed out after {timeout.TotalSeconds:0.###} s";
        }

        var tail = LastLines(Stderr, ReasonStderrLines);
        return tail.Length == 0 ? $"{what} failed with exit status {ExitCode}" : $"{what} failed with exit status {ExitCode}: {tail}";
    }

    internal static string LastLines(string text, int count)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join("; ", lines.Skip(Math.Max(0, lines.Length - count)));
    }
}
