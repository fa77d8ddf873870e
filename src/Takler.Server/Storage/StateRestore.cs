namespace Takler.Server.Storage;

/// <summary>What a start-up restore read: the snapshot and the journal records after it.</summary>
/// <param name="SnapshotId">The snapshot's id in the store.</param>
/// <param name="SnapshotTime">When the snapshot was taken.</param>
/// <param name="Records">Journal records applied after the snapshot.</param>
/// <param name="Flows">The names of the flows restored.</param>
public sealed record StateRestore(long SnapshotId, DateTimeOffset SnapshotTime, long Records, IReadOnlyList<string> Flows)
{
    /// <summary>
    /// The journal records applied after the snapshot, in order (UTF-8 JSON node state records), for the query replica
    /// to apply to its copy too; null when the store does not keep them. Taken once (<see cref="TakeJournalRecords"/>).
    /// </summary>
    internal IReadOnlyList<byte[]>? JournalRecords { get; set; }

    /// <summary>Returns <see cref="JournalRecords"/> and forgets them, so that this record does not keep them alive.</summary>
    internal IReadOnlyList<byte[]>? TakeJournalRecords()
    {
        var records = JournalRecords;
        JournalRecords = null;
        return records;
    }
}
