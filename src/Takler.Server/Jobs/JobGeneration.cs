namespace Takler.Server.Jobs;

/// <summary>The result of turning a task's script into its job file.</summary>
/// <param name="Script">Where the script was looked for and found.</param>
/// <param name="JobPath">The job file written (TAKLER_JOB), or null.</param>
/// <param name="Error">What went wrong; <see cref="JobErrorCode.None"/> on success.</param>
/// <param name="Reason">The failure reason (every pre-processing error, with file and line), or null.</param>
public sealed record JobGeneration(ScriptLocation Script, string? JobPath, JobErrorCode Error, string? Reason)
{
    /// <summary>True when the job file was written.</summary>
    public bool Success => Error == JobErrorCode.None;
}
