namespace Takler.Server.Jobs;

/// <summary>
/// A way of submitting jobs, chosen by the variable TAKLER_SUBMITTER: its default submit, kill and status command
/// templates (each overridden by TAKLER_JOB_CMD, TAKLER_KILL_CMD, TAKLER_STATUS_CMD in <c>{{ VAR }}</c> syntax, or by
/// ecFlow's ECF_JOB_CMD, ECF_KILL_CMD, ECF_STATUS_CMD in <c>%VAR%</c> syntax) and how the job id is read from the submit
/// command's output.
/// </summary>
public sealed class JobSubmitter
{
    private JobSubmitter(string name, string jobCommand, string killCommand, string statusCommand, bool detached)
    {
        Name = name;
        JobCommand = jobCommand;
        KillCommand = killCommand;
        StatusCommand = statusCommand;
        Detached = detached;
    }

    /// <summary>
    /// The default: the job command runs in the background in a session of its own (<c>setsid</c>), so the submit
    /// returns at once, the job outlives the server, and kill reaches the job's whole process group.
    /// The RID is the PID of the session's first process, which the default command <c>exec</c>s into the job itself.
    /// </summary>
    public static JobSubmitter Local { get; } = new(
        "local",
        "exec {{TAKLER_JOB}} 1> {{TAKLER_JOBOUT}} 2>&1",
        // TERM to the whole group (the job's traps report the abort), then KILL to whatever still runs 10 s later.
        "kill -15 -{{TAKLER_RID}} 2>/dev/null || kill -15 {{TAKLER_RID}} || exit $?; " +
        "(sleep 10; kill -9 -{{TAKLER_RID}} 2>/dev/null) </dev/null >/dev/null 2>&1 &",
        "ps -o pid,stat,etime,cmd -p {{TAKLER_RID}}",
        detached: true);

    /// <summary>Slurm: <c>sbatch --parsable</c> (output to TAKLER_JOBOUT), <c>scancel</c>, <c>squeue</c>. The RID is the job id.</summary>
    public static JobSubmitter Slurm { get; } = new(
        "slurm",
        "sbatch --parsable --output={{TAKLER_JOBOUT}} {{TAKLER_JOB}}",
        "scancel {{TAKLER_RID}}",
        "squeue -j {{TAKLER_RID}}",
        detached: false);

    /// <summary>PBS: <c>qsub</c> (output and error joined into TAKLER_JOBOUT), <c>qdel</c>, <c>qstat -f</c>. The RID is the job id.</summary>
    public static JobSubmitter Pbs { get; } = new(
        "pbs",
        "qsub -j oe -o {{TAKLER_JOBOUT}} {{TAKLER_JOB}}",
        "qdel {{TAKLER_RID}}",
        "qstat -f {{TAKLER_RID}}",
        detached: false);

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<JobSubmitter> All { get; } = [Local, Slurm, Pbs];

    /// <summary>The preset's name, the value of TAKLER_SUBMITTER that selects it.</summary>
    public string Name { get; }

    /// <summary>The default submit command template (<c>{{ VAR }}</c> syntax).</summary>
    public string JobCommand { get; }

    /// <summary>The default kill command template.</summary>
    public string KillCommand { get; }

    /// <summary>The default status command template.</summary>
    public string StatusCommand { get; }

    /// <summary>
    /// True when the submit command is started in the background and only its launch is waited for
    /// (whatever the template); false when the submit command is waited for and its exit status counts.
    /// </summary>
    public bool Detached { get; }

    /// <summary>The preset named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static JobSubmitter? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The job id in the submit command's output: for a detached job the last line (the PID the wrapper echoes); for a
    /// batch system the first line, before any <c>;cluster</c>, its last word (<c>123</c>, <c>123;c1</c>,
    /// <c>Submitted batch job 123</c>, <c>123.pbs01</c>). Null when the output is empty.
    /// </summary>
    public string? ParseRid(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            return null;
        }

        if (Detached)
        {
            return lines[^1];
        }

        var first = lines[0];
        var semicolon = first.IndexOf(';', StringComparison.Ordinal);
        if (semicolon >= 0)
        {
            first = first[..semicolon];
        }

        var words = first.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? null : words[^1];
    }

    public override string ToString() => Name;
}
