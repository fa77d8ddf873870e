using System.Text;

namespace Takler.Cli;

/// <summary>
/// Lets commands that print to <see cref="Console.Out"/> and <see cref="Console.Error"/> run for several servers at
/// once: while installed, what an async flow writes goes to the writers it chose with <see cref="Capture"/>, and
/// anything written outside such a flow to the real console.
/// </summary>
internal sealed class ConsoleRouting : TextWriter
{
    private static readonly AsyncLocal<(TextWriter Output, TextWriter Error)?> Targets = new();
    private readonly TextWriter _console;
    private readonly bool _isError;

    private ConsoleRouting(TextWriter console, bool isError)
    {
        _console = console;
        _isError = isError;
    }

    public override Encoding Encoding => _console.Encoding;

    private TextWriter Current => Targets.Value is { } t ? (_isError ? t.Error : t.Output) : _console;

    /// <summary>Routes standard output and error until the result is disposed.</summary>
    public static IDisposable Install()
    {
        var (output, error) = (Console.Out, Console.Error);
        Console.SetOut(new ConsoleRouting(output, isError: false));
        Console.SetError(new ConsoleRouting(error, isError: true));
        return new Restore(output, error);
    }

    /// <summary>From here on, this async flow's console output goes to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static void Capture(TextWriter output, TextWriter error) => Targets.Value = (output, error);

    public override void Write(char value) => Current.Write(value);

    public override void Write(string? value) => Current.Write(value);

    public override void Write(char[] buffer, int index, int count) => Current.Write(buffer, index, count);

    public override void Flush() => Current.Flush();

    private sealed class Restore(TextWriter output, TextWriter error) : IDisposable
    {
        public void Dispose()
        {
            Console.SetOut(output);
            Console.SetError(error);
        }
    }
}
