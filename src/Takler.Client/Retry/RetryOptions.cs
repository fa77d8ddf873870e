using System.Globalization;
using Takler.Protocol.Grpc;

namespace Takler.Client.Retry;

/// <summary>The retry contract of Takler's client (takler-compat §4.5). Every default is Takler's.</summary>
public sealed record RetryOptions
{
    /// <summary>The environment variable that overrides the window of every kind, in whole seconds.</summary>
    public const string TimeoutVariable = "TAKLER_TIMEOUT";

    /// <summary>The deadline of one attempt. The default value is 10 seconds.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long child commands keep retrying. The default value is 86400 seconds.</summary>
    public TimeSpan ChildWindow { get; init; } = TimeSpan.FromSeconds(86400);

    /// <summary>How long control commands keep retrying. The default value is 60 seconds.</summary>
    public TimeSpan ControlWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long queries keep retrying. The default value is 60 seconds.</summary>
    public TimeSpan QueryWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest wait between two attempts. The default value is 60 seconds.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The default window of a kind, before <c>TAKLER_TIMEOUT</c>.</summary>
    public TimeSpan DefaultWindow(CommandKind kind) => kind switch
    {
        CommandKind.Child => ChildWindow,
        CommandKind.Control => ControlWindow,
        _ => QueryWindow,
    };

    /// <summary>
    /// The window of a kind: <c>TAKLER_TIMEOUT</c> when it holds a non-negative integer of ASCII digits (surrounding
    /// whitespace ignored; 0 means one attempt), else the kind's default. A value that is set but invalid is reported
    /// through <paramref name="warn"/> with Takler's text.
    /// </summary>
    public TimeSpan ResolveWindow(CommandKind kind, string? timeoutVariable, Action<string>? warn = null)
    {
        var fallback = DefaultWindow(kind);
        if (timeoutVariable is null)
        {
            return fallback;
        }

        var text = timeoutVariable.AsSpan().Trim(" \t\n\r\f\v");
        if (text.Length > 0 && !text.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= (long)TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        warn?.Invoke(string.Create(
            CultureInfo.InvariantCulture,
            $"invalid {TimeoutVariable} value {PythonRepr(timeoutVariable)}; falling back to {fallback.TotalSeconds:0.##} seconds for {KindName(kind)} commands."));
        return fallback;
    }

    /// <summary>The wait before retry number <paramref name="attempt"/> (1-based): min(2^(n-1), <see cref="MaxBackoff"/>).</summary>
    public TimeSpan Backoff(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        return attempt >= 31 ? MaxBackoff : TimeSpan.FromSeconds(Math.Min(1L << (attempt - 1), MaxBackoff.TotalSeconds));
    }

    /// <summary>
    /// How long to wait after failed attempt <paramref name="attempt"/>, or null to give up: the backoff clipped to what
    /// is left of <paramref name="window"/> after <paramref name="elapsed"/>.
    /// </summary>
    public TimeSpan? NextDelay(int attempt, TimeSpan elapsed, TimeSpan window)
    {
        var remaining = window - elapsed;
        if (remaining <= TimeSpan.Zero)
        {
            return null;
        }

        var backoff = Backoff(attempt);
        return backoff < remaining ? backoff : remaining;
    }

    /// <summary>Whether a failed call may be retried: UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNKNOWN.</summary>
    public static bool IsRetryable(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted or StatusCode.Unknown;

    /// <summary>The kind's name in Takler's messages: child, control, query.</summary>
    public static string KindName(CommandKind kind) => kind switch
    {
        CommandKind.Child => "child",
        CommandKind.Control => "control",
        _ => "query",
    };

    // Python's repr() of a str, which Takler's warning quotes the raw value with.
    private static string PythonRepr(string value)
    {
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var builder = new System.Text.StringBuilder(value.Length + 2).Append(quote);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => builder.Append(@"\\"),
                '\n' => builder.Append(@"\n"),
                '\r' => builder.Append(@"\r"),
                '\t' => builder.Append(@"\t"),
                _ when c == quote => builder.Append('\\').Append(c),
                _ when c < ' ' || c == '\x7f' => builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => builder.Append(c),
            };
        }

        return builder.Append(quote).ToString();
    }
}
