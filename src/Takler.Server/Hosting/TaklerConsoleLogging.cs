using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Takler.Server.Hosting;

/// <summary>
/// The server's console logging: lines in <see cref="TaklerConsoleFormatter"/>'s format on standard output, at
/// <c>minimum</c> and above. The factory is put together by hand rather than by <c>LoggerFactory.Create</c>, whose
/// dependency-injection container and options machinery took about 40 ms of every start (a restart's critical path).
/// </summary>
public static class TaklerConsoleLogging
{
    /// <summary>A logger factory writing to the console at <paramref name="minimum"/> and above.</summary>
    public static ILoggerFactory CreateFactory(LogLevel minimum)
    {
        var options = new FixedOptions<ConsoleLoggerOptions>(new ConsoleLoggerOptions { FormatterName = TaklerConsoleFormatter.FormatterName });
        var factory = new LoggerFactory([], new LoggerFilterOptions { MinLevel = minimum });

        // Added, not given to the constructor: the factory then disposes it, which writes out the lines still queued.
        factory.AddProvider(new ConsoleLoggerProvider(options, [new TaklerConsoleFormatter()]));
        return factory;
    }

    /// <summary>Options that never change.</summary>
    private sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
