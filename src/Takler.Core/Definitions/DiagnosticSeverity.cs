namespace Takler.Core.Definitions;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The definition cannot be loaded.</summary>
    Error,

    /// <summary>The definition loads, but something is probably wrong (ecFlow warns too, e.g. an in-limit naming a missing limit).</summary>
    Warning,
}
