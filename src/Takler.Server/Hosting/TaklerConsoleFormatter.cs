using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Takler.Server.Hosting;

/// <summary>Log lines in Takler's layout: `2022-07-05 03:09:52.853 | INFO     | takler.server - start server...`.</summary>
public sealed class TaklerConsoleFormatter : ConsoleFormatter
{
    /// <summary>The formatter's name, for `AddConsole(o => o.FormatterName = ...)`.</summary>
    public const string FormatterName = "takler";

    private readonly TimeProvider _time;

    public TaklerConsoleFormatter()
        : this(TimeProvider.System)
    {
    }

    public TaklerConsoleFormatter(TimeProvider time)
        : base(FormatterName)
    {
        _time = time;
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "TRACE",
            LogLevel.Debug => "DEBUG",
            LogLevel.Information => "INFO",
            LogLevel.Warning => "WARNING",
            LogLevel.Error => "ERROR",
            LogLevel.Critical => "CRITICAL",
            _ => "NONE",
        };
        var time = _time.GetLocalNow().ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);
        textWriter.Write($"{time} | {level,-8} | {logEntry.Category} - {message}");
        if (logEntry.Exception is { } e)
        {
            textWriter.Write($" {e.GetType().Name}: {e.Message}");
        }

        textWriter.Write('\n');
    }
}
