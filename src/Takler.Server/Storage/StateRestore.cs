namespace Takler.Server.Storage;

/// <summary>What a start-up restore read: the snapshot and the journal records after it.</summary>
/// <param name="SnapshotId">The snapshot's id in the store.</param>
/// <param name="SnapshotTime">When the snapshot was taken.</param>
/// <param name="Records">Journal records applied after the snapshot.</param>
/// <param name="Flows">The names of the flows restored.</param>
public sealed record StateRestore(long SnapshotId, DateTimeOffset SnapshotTime, long Records, IReadOnlyList<string> Flows)
{
    /// <summary>
    /// The bytes the state was restored from, for the query replica to build its copy from without another snapshot
    /// of the live tree; null when the store does not keep them. Taken once (<see cref="TakeSource"/>).
    /// </summary>
    internal RestoreSource? Source { get; set; }

    /// <summary>Returns <see cref="Source"/> and forgets it, so that its bytes are not kept alive by this record.</summary>
    internal RestoreSource? TakeSource()
    {
        var source = Source;
        Source = null;
        return source;
    }
}

/// <summary>The snapshot and the journal records after it that a restore applied, in order.</summary>
/// <param name="Snapshot">Our snapshot JSON of the whole bunch.</param>
/// <param name="JournalRecords">The node state records applied after it.</param>
internal sealed record RestoreSource(byte[] Snapshot, IReadOnlyList<byte[]> JournalRecords);
