namespace Takler.Server.Jobs;

/// <summary>
/// Submits, kills and queries jobs. The engine hands it a <see cref="JobRequest"/> built on its loop; the runner does the
/// slow work (pre-processing, writing the job file, running the submit command) off the loop.
/// </summary>
public interface IJobRunner
{
    /// <summary>Submits a job. The outcome says whether the submit command worked and, for batch systems, the job id.</summary>
    Task<JobOutcome> SubmitAsync(JobRequest request, CancellationToken cancellationToken);

    /// <summary>Runs the kill command for a job.</summary>
    Task<JobOutcome> KillAsync(JobRequest request, CancellationToken cancellationToken);

    /// <summary>Runs the status command for a job; the output is in <see cref="JobOutcome.Output"/>.</summary>
    Task<JobOutcome> StatusAsync(JobRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Everything a job needs, captured on the engine's loop so the runner never touches the tree:
/// the task path, try number, password and every variable the script may use.
/// </summary>
/// <param name="TaskPath">The task's absolute path (published as TAKLER_NAME and ECF_NAME).</param>
/// <param name="TryNo">The try number of this submission (TAKLER_TRY_NO, ECF_TRYNO).</param>
/// <param name="Password">The job's password (TAKLER_PASS, ECF_PASS).</param>
/// <param name="Variables">Variable lookup as the task sees it (user, repeat, generated, inherited, server).</param>
/// <param name="Rid">The job's remote id, for kill and status (TAKLER_RID, ECF_RID); when null, the TAKLER_RID variable.</param>
/// <remarks>The four named fields win over the same names in <paramref name="Variables"/>.</remarks>
public sealed record JobRequest(
    string TaskPath,
    int TryNo,
    string Password,
    IReadOnlyDictionary<string, string> Variables,
    string? Rid = null);

/// <summary>The result of a submit, kill or status command.</summary>
/// <param name="Success">True when the command worked.</param>
/// <param name="Reason">Why it failed (the script line, or the exit status and the last lines of stderr), or null.</param>
/// <param name="Rid">The job id: the PID of a local job, or the id from a batch system's submit output.</param>
/// <param name="Output">The command's standard output (status).</param>
/// <param name="Error">What kind of failure it was; <see cref="JobErrorCode.None"/> on success.</param>
public sealed record JobOutcome(
    bool Success,
    string? Reason = null,
    string? Rid = null,
    string? Output = null,
    JobErrorCode Error = JobErrorCode.None)
{
    public static JobOutcome Ok(string? rid = null, string? output = null) => new(true, null, rid, output);

    public static JobOutcome Failed(string reason) => new(false, reason, Error: JobErrorCode.CommandFailed);

    public static JobOutcome Failed(JobErrorCode error, string reason, string? output = null) => new(false, reason, Output: output, Error: error);
}
