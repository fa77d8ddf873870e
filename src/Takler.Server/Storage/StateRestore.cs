namespace Takler.Server.Storage;

/// <summary>What a start-up restore read: the snapshot and the journal records after it.</summary>
/// <param name="SnapshotId">The snapshot's id in the store.</param>
/// <param name="SnapshotTime">When the snapshot was taken.</param>
/// <param name="Records">Journal records applied after the snapshot.</param>
/// <param name="Flows">The names of the flows restored.</param>
public sealed record StateRestore(long SnapshotId, DateTimeOffset SnapshotTime, long Records, IReadOnlyList<string> Flows);
