namespace Takler.Server.Jobs;

/// <summary>Settings of <see cref="LocalJobRunner"/>.</summary>
public sealed class JobRunnerOptions
{
    /// <summary>How many submissions may be in flight at once (generation plus submit command). The default value is 32.</summary>
    public int MaxConcurrentSubmissions { get; init; } = 32;

    /// <summary>
    /// How long a submit, kill or status command may run before it is killed and reported as timed out.
    /// A local job is detached, so this bounds only its launch. The default value is 60 seconds.
    /// </summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The shell that runs every command template with <c>-c</c>. The default value is <c>/bin/sh</c>.</summary>
    public string Shell { get; init; } = "/bin/sh";

    /// <summary>
    /// Extra environment variables for every command (and so for local jobs), e.g. a PATH that finds <c>takler_client</c>.
    /// The job's own TAKLER_* variables win over these. The default value is empty.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
