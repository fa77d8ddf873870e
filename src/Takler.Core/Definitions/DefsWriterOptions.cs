namespace Takler.Core.Definitions;

/// <summary>How <see cref="DefsWriter"/> lays a definition out.</summary>
public sealed record DefsWriterOptions
{
    /// <summary>The default options: a plain definition, two blanks per level, `\n` line ends.</summary>
    public static DefsWriterOptions Default { get; } = new();

    /// <summary>
    /// Write run-time state the way ecFlow's checkpoints do: a `defs_state STATE` line, statuses on node lines
    /// (`task t # state:complete`), and event, meter, label, limit and repeat values after `#`. The default value is false.
    /// </summary>
    public bool IncludeState { get; init; }

    /// <summary>Blanks per level. The default value is 2, as ecFlow writes.</summary>
    public int IndentSize { get; init; } = 2;

    /// <summary>The line end. The default value is `\n`.</summary>
    public string NewLine { get; init; } = "\n";
}
