namespace Takler.Client;

/// <summary>How <see cref="TaklerServiceClient.RunAsync(IEnumerable{string}, RunOptions, CancellationToken)"/> submits and waits.</summary>
public sealed class RunOptions
{
    /// <summary>Wait until every node is complete or aborted (or the timeout passes). The default value is false: return once the server accepted the run.</summary>
    public bool Wait { get; set; }

    /// <summary>How long to wait at most; null waits as long as it takes. The default value is null.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Also run tasks that are submitted or active. The default value is false.</summary>
    public bool Force { get; set; }

    /// <summary>
    /// Variables for the jobs of this run only (Gearman's job data), laid over the tree's parameters; the definition
    /// is not changed. The default value is empty.
    /// </summary>
    public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Queue the tasks instead of submitting them at once: each is requeued with its triggers and times freed, and the
    /// scheduler submits it when its limits have tokens, highest <see cref="Priority"/> first. Cannot be combined with
    /// <see cref="Parameters"/> or <see cref="Force"/>. The default value is false (submit at once, ignoring limits).
    /// </summary>
    public bool Queue { get; set; }

    /// <summary>
    /// With <see cref="Queue"/>: set as each task's TAKLER_PRIORITY parameter, which stays on the task (higher goes
    /// first). The default value is null: the priority the tree gives.
    /// </summary>
    public int? Priority { get; set; }
}
