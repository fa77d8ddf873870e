namespace Takler.Server.Storage;

/// <summary>
/// A file of the server's storage (the state database, the audit log) cannot be used: its message is one line,
/// `PATH: PROBLEM` (`/x/takler.db: not a Takler database (no metadata table)`), and the file is left as it was.
/// </summary>
public sealed class StorageException : Exception
{
    public StorageException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    public StorageException()
        : this(string.Empty, "storage error")
    {
    }

    public StorageException(string message)
        : this(string.Empty, message)
    {
    }

    public StorageException(string message, Exception inner)
        : this(string.Empty, message, inner)
    {
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
