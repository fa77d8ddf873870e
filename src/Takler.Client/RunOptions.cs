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
}
