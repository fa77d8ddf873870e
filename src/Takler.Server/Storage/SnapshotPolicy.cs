namespace Takler.Server.Storage;

/// <summary>When the journal is folded into a new snapshot (and the records before it deleted).</summary>
public sealed record SnapshotPolicy
{
    /// <summary>Take a snapshot once the journal holds this many records. The default value is 10,000.</summary>
    public int EveryRecords { get; init; } = 10_000;

    /// <summary>Take a snapshot at the first commit this long after the last one, if the journal is not empty. The default value is 10 minutes.</summary>
    public TimeSpan Every { get; init; } = TimeSpan.FromMinutes(10);
}
