namespace Takler.Core.Definitions;

/// <summary>
/// A definition that cannot be loaded. The code is <see cref="TaklerErrorCode.UnsupportedValue"/>, the code the model's
/// own constructors use for a bad value, so a caller sees one code whether the reader or the model rejected the input.
/// The message is the first error as `file:line:column: message`; <see cref="Diagnostics"/> has all of them.
/// </summary>
public sealed class DefinitionException : TaklerException
{
    /// <summary>A definition rejected for these diagnostics (errors first); the message is the first error.</summary>
    public DefinitionException(IReadOnlyList<Diagnostic> diagnostics)
        : base(TaklerErrorCode.UnsupportedValue, Describe(diagnostics))
    {
        Diagnostics = diagnostics;
    }

    /// <summary>A definition rejected for one error.</summary>
    public DefinitionException(Diagnostic diagnostic)
        : base(TaklerErrorCode.UnsupportedValue, diagnostic.ToString())
    {
        Diagnostics = [diagnostic];
    }

    /// <summary>A definition rejected for one error, found as <paramref name="inner"/> (the model's own exception).</summary>
    public DefinitionException(Diagnostic diagnostic, Exception inner)
        : base(TaklerErrorCode.UnsupportedValue, diagnostic.ToString(), inner)
    {
        Diagnostics = [diagnostic];
    }

    public DefinitionException()
        : this([])
    {
    }

    public DefinitionException(string message)
        : this(new Diagnostic(DiagnosticSeverity.Error, string.Empty, 0, 0, message))
    {
    }

    public DefinitionException(string message, Exception inner)
        : this(new Diagnostic(DiagnosticSeverity.Error, string.Empty, 0, 0, message), inner)
    {
    }

    /// <summary>The errors (and any warnings) behind this exception, errors first.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>The first error.</summary>
    public Diagnostic? First => Diagnostics.FirstOrDefault(d => d.IsError) ?? Diagnostics.FirstOrDefault();

    private static string Describe(IReadOnlyList<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => d.IsError).ToList();
        if (errors.Count == 0)
        {
            return "invalid definition";
        }

        return errors.Count == 1 ? errors[0].ToString() : $"{errors[0]} (and {errors.Count - 1} more errors)";
    }
}
