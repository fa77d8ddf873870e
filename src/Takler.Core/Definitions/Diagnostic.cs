namespace Takler.Core.Definitions;

/// <summary>
/// A problem found while reading or checking a definition: where (file, 1-based line and column) and what was
/// expected. <see cref="NodePath"/> names the node concerned when there is one.
/// </summary>
public sealed record Diagnostic(DiagnosticSeverity Severity, string File, int Line, int Column, string Message, string? NodePath = null)
{
    /// <summary>True for <see cref="DiagnosticSeverity.Error"/>.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>`file:line:column: message`, with `warning: ` before the message of a warning.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"{File}:{Line}:{Column}: {(IsError ? string.Empty : "warning: ")}{Message}");
}
