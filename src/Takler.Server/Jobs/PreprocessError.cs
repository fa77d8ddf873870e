namespace Takler.Server.Jobs;

/// <summary>One pre-processing problem, at a line of a script or include file.</summary>
/// <param name="File">The file (full path) or the name of the command template.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Message">What is wrong, naming the variable or file.</param>
public sealed record PreprocessError(string File, int Line, string Message)
{
    /// <summary>The error as <c>file:line: message</c>.</summary>
    public override string ToString() => $"{File}:{Line}: {Message}";
}
