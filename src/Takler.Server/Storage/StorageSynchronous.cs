namespace Takler.Server.Storage;

/// <summary>
/// How far a commit goes before the engine replies (SQLite's `synchronous` in WAL mode).
/// </summary>
public enum StorageSynchronous
{
    /// <summary>
    /// `synchronous=NORMAL`: a commit is written to the WAL file (the operating system has it) but not flushed to
    /// the disk. Survives a crash or `kill -9` of the server; a power loss or kernel crash can lose the last commits.
    /// </summary>
    Normal,

    /// <summary>`synchronous=FULL`: every commit is flushed to the disk (fsync) before the engine replies. Survives power loss.</summary>
    Full,
}
