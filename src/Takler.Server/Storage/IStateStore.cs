using Takler.Core.Nodes;

namespace Takler.Server.Storage;

/// <summary>
/// Durable state: snapshots of the whole bunch and a journal of node state records after the latest one. Each call
/// that writes is one transaction, complete when it returns. Called by one thread at a time (the engine's state
/// writer once the server runs).
/// </summary>
public interface IStateStore : IDisposable
{
    /// <summary>Where the state is kept, for messages (a file path).</summary>
    string Location { get; }

    /// <summary>Journal records written since the latest snapshot.</summary>
    long RecordsSinceSnapshot { get; }

    /// <summary>When the latest snapshot was taken; null when there is none.</summary>
    DateTimeOffset? LastSnapshotAt { get; }

    /// <summary>
    /// Reads the latest snapshot into <paramref name="bunch"/> (its flows replace flows of the same name) and applies the
    /// journal records after it. Null when the store holds no snapshot. A record that cannot be applied is a
    /// <see cref="StorageException"/>.
    /// </summary>
    StateRestore? Restore(Bunch bunch);

    /// <summary>
    /// Whether each commit waits for the disk (an fsync): then commits are written off the engine's loop, so that one
    /// flush serves the batches applied meanwhile. The default is true.
    /// </summary>
    bool FlushesEachCommit => true;

    /// <summary>Whether the store's log has grown enough for a <see cref="Checkpoint"/>. The default is false.</summary>
    bool CheckpointDue => false;

    /// <summary>
    /// Moves what the log holds into the database proper (a flush to disk), so that the log stays small; called off the
    /// engine's loop when <see cref="CheckpointDue"/>. The default does nothing.
    /// </summary>
    void Checkpoint()
    {
    }

    /// <summary>Appends the records of one batch (UTF-8 JSON node state records), in one transaction.</summary>
    void Append(IReadOnlyList<ReadOnlyMemory<byte>> records, DateTimeOffset time);

    /// <summary>Writes a snapshot and, in the same transaction, deletes older snapshots and the journal it covers.</summary>
    void WriteSnapshot(ReadOnlyMemory<byte> snapshot, DateTimeOffset time);
}
