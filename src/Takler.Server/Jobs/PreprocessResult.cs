namespace Takler.Server.Jobs;

/// <summary>The text produced by pre-processing a script, or the errors that stopped it.</summary>
/// <param name="Text">The job text; incomplete when there are errors.</param>
/// <param name="Errors">Every problem found, in script order.</param>
public sealed record PreprocessResult(string Text, IReadOnlyList<PreprocessError> Errors)
{
    /// <summary>At most this many errors are spelled out in <see cref="Reason"/>.</summary>
    public const int MaxReportedErrors = 20;

    /// <summary>True when there were no errors.</summary>
    public bool Success => Errors.Count == 0;

    /// <summary>All errors in one string, separated by <c>"; "</c>; null on success.</summary>
    public string? Reason => JoinErrors(Errors);

    internal static string? JoinErrors(IReadOnlyList<PreprocessError> errors)
    {
        if (errors.Count == 0)
        {
            return null;
        }

        var text = string.Join("; ", errors.Take(MaxReportedErrors));
        return errors.Count > MaxReportedErrors ? $"{text}; and {errors.Count - MaxReportedErrors} more" : text;
    }
}
