namespace Takler.Server.Jobs;

/// <summary>
/// The job runner: generates the job file (<see cref="JobGenerator"/>), then runs the submit, kill or status command
/// template of the task's <see cref="JobSubmitter"/> through <c>/bin/sh -c</c>, off the caller's thread, with at most
/// <see cref="JobRunnerOptions.MaxConcurrentSubmissions"/> submissions in flight.
/// </summary>
/// <remarks>
/// Command templates, first defined wins: TAKLER_JOB_CMD (<c>{{ VAR }}</c>), ECF_JOB_CMD (<c>%VAR%</c>), the
/// submitter's default; likewise for kill (TAKLER_KILL_CMD, ECF_KILL_CMD) and status (TAKLER_STATUS_CMD, ECF_STATUS_CMD).
/// Every command gets TAKLER_HOST, TAKLER_PORT, TAKLER_NAME, TAKLER_PASS and TAKLER_TRY_NO in its environment (and
/// ECF_HOST, ECF_PORT, ECF_NAME, ECF_PASS, ECF_TRYNO for ecFlow scripts), so a local job inherits them.
/// </remarks>
public sealed class LocalJobRunner : IJobRunner, IDisposable
{
    /// <summary>
    /// Starts the job command in the background, in a new session when <c>setsid</c> exists (so it leads a process group
    /// of its own and outlives the server), with no handle on our pipes, and prints its PID. That PID is the RID and is
    /// exported to the job as TAKLER_RID, so the job's <c>init</c> reports the process group that kill signals.
    /// <c>$0</c> is the shell, <c>$1</c> the job command.
    /// </summary>
    private const string DetachScript =
        "run='TAKLER_RID=$$; export TAKLER_RID; eval \"$1\"'\n" +
        "if command -v setsid >/dev/null 2>&1; then setsid \"$0\" -c \"$run\" \"$0\" \"$1\" </dev/null >/dev/null 2>&1 &\n" +
        "else \"$0\" -c \"$run\" \"$0\" \"$1\" </dev/null >/dev/null 2>&1 &\nfi\necho $!";

    private static readonly (string Takler, string Ecf)[] JobEnvironment =
    [
        ("TAKLER_HOST", "ECF_HOST"),
        ("TAKLER_PORT", "ECF_PORT"),
        ("TAKLER_NAME", "ECF_NAME"),
        ("TAKLER_PASS", "ECF_PASS"),
        ("TAKLER_TRY_NO", "ECF_TRYNO"),
    ];

    private readonly JobRunnerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _submissions;

    /// <summary>Creates a runner; every argument has a default.</summary>
    public LocalJobRunner(JobRunnerOptions? options = null, TimeProvider? timeProvider = null, JobGenerator? generator = null)
    {
        _options = options ?? new JobRunnerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConcurrentSubmissions, 1, nameof(options));
        _timeProvider = timeProvider ?? TimeProvider.System;
        Generator = generator ?? new JobGenerator();
        _submissions = new SemaphoreSlim(_options.MaxConcurrentSubmissions, _options.MaxConcurrentSubmissions);
    }

    /// <summary>The job generator (and its include cache).</summary>
    public JobGenerator Generator { get; }

    /// <summary>How many submissions are in flight now.</summary>
    public int SubmissionsInFlight => _options.MaxConcurrentSubmissions - _submissions.CurrentCount;

    /// <summary>The submitter named by TAKLER_SUBMITTER (default <c>local</c>), or null when the name is unknown.</summary>
    public static JobSubmitter? SubmitterFor(JobVariables variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return variables.TryGetExact("TAKLER_SUBMITTER", out var name) && name.Length > 0 ? JobSubmitter.Find(name) : JobSubmitter.Local;
    }

    /// <inheritdoc/>
    public async Task<JobOutcome> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _submissions.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var variables = JobVariables.For(request);
            if (!TryGetSubmitter(variables, out var submitter, out var failure))
            {
                return failure;
            }

            var generation = await Task.Run(() => Generator.Generate(request.TaskPath, variables), cancellationToken).ConfigureAwait(false);
            if (!generation.Success)
            {
                return JobOutcome.Failed(generation.Error, generation.Reason ?? generation.Error.ToString());
            }

            if (!TryRender(variables, "JOB", submitter.JobCommand, submitter, out var command, out failure))
            {
                return failure;
            }

            var environment = BuildEnvironment(variables, generation.Script.Dialect);
            var directory = Path.GetDirectoryName(Path.GetFullPath(generation.JobPath!));
            var result = submitter.Detached
                ? await RunAsync(DetachScript, [command], environment, directory, cancellationToken).ConfigureAwait(false)
                : await RunAsync(command, [], environment, directory, cancellationToken).ConfigureAwait(false);
            if (!result.Success)
            {
                return JobOutcome.Failed(result.Error, result.Describe("submit command", _options.CommandTimeout), result.Stdout);
            }

            return JobOutcome.Ok(submitter.ParseRid(result.Stdout), result.Stdout);
        }
        finally
        {
            _submissions.Release();
        }
    }

    /// <inheritdoc/>
    public Task<JobOutcome> KillAsync(JobRequest request, CancellationToken cancellationToken) =>
        RunForRidAsync(request, "KILL", s => s.KillCommand, "kill command", cancellationToken);

    /// <inheritdoc/>
    public Task<JobOutcome> StatusAsync(JobRequest request, CancellationToken cancellationToken) =>
        RunForRidAsync(request, "STATUS", s => s.StatusCommand, "status command", cancellationToken);

    public void Dispose() => _submissions.Dispose();

    private async Task<JobOutcome> RunForRidAsync(
        JobRequest request, string kind, Func<JobSubmitter, string> template, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var variables = JobVariables.For(request);
        var rid = variables.FindNonEmpty("TAKLER_RID");
        if (rid is null)
        {
            return JobOutcome.Failed(JobErrorCode.NoRid, $"{what}: the job of {request.TaskPath} has no RID");
        }

        if (!TryGetSubmitter(variables, out var submitter, out var failure))
        {
            return failure;
        }

        if (!TryRender(variables, kind, template(submitter), submitter, out var command, out failure))
        {
            return failure;
        }

        var environment = BuildEnvironment(variables, ScriptDialect.Takler);
        var result = await RunAsync(command, [], environment, null, cancellationToken).ConfigureAwait(false);
        return result.Success
            ? new JobOutcome(true, null, rid, result.Stdout)
            : new JobOutcome(false, result.Describe(what, _options.CommandTimeout), rid, result.Stdout, result.Error);
    }

    private static bool TryGetSubmitter(JobVariables variables, out JobSubmitter submitter, out JobOutcome failure)
    {
        var found = SubmitterFor(variables);
        if (found is null)
        {
            var known = string.Join(", ", JobSubmitter.All.Select(s => s.Name));
            failure = JobOutcome.Failed(JobErrorCode.UnknownSubmitter, $"unknown TAKLER_SUBMITTER '{variables.Find("TAKLER_SUBMITTER")}' (known: {known})");
            submitter = JobSubmitter.Local;
            return false;
        }

        submitter = found;
        failure = JobOutcome.Ok();
        return true;
    }

    /// <summary>Picks TAKLER_{kind}_CMD, ECF_{kind}_CMD or the default, and substitutes its variables.</summary>
    private static bool TryRender(
        JobVariables variables, string kind, string fallback, JobSubmitter submitter, out string command, out JobOutcome failure)
    {
        var taklerName = $"TAKLER_{kind}_CMD";
        var ecfName = $"ECF_{kind}_CMD";
        PreprocessResult result;
        if (variables.TryGetExact(taklerName, out var template) && template.Length > 0)
        {
            result = TaklerPreprocessor.SubstituteText(template, taklerName, variables);
        }
        else if (variables.TryGetExact(ecfName, out template) && template.Length > 0)
        {
            result = EcfPreprocessor.SubstituteText(template, ecfName, variables);
        }
        else
        {
            result = TaklerPreprocessor.SubstituteText(fallback, $"{taklerName} ({submitter.Name} default)", variables);
        }

        command = result.Text;
        failure = result.Success ? JobOutcome.Ok() : JobOutcome.Failed(JobErrorCode.CommandTemplateFailed, result.Reason!);
        return result.Success;
    }

    private Dictionary<string, string> BuildEnvironment(JobVariables variables, ScriptDialect dialect)
    {
        var environment = new Dictionary<string, string>(_options.Environment, StringComparer.Ordinal);
        foreach (var (takler, ecf) in JobEnvironment)
        {
            if (variables.TryGet(takler, out var value))
            {
                environment[takler] = value;
                if (dialect == ScriptDialect.Ecf)
                {
                    environment[ecf] = variables.TryGet(ecf, out var ecfValue) ? ecfValue : value;
                }
            }
        }

        return environment;
    }

    private Task<ShellCommandResult> RunAsync(
        string script, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string? directory,
        CancellationToken cancellationToken) =>
        ShellCommand.RunAsync(_options.Shell, script, arguments, environment, directory, _options.CommandTimeout, _timeProvider, cancellationToken);
}
