using System.Collections.Concurrent;
using System.Text;

namespace Takler.Server.Jobs;

/// <summary>
/// Reads scripts and include files, keeping each file's text while its size and modification time stay the same:
/// the head and tail included by thousands of jobs are read once, and an edited file is seen at the next job.
/// Thread-safe.
/// </summary>
public sealed class ScriptFileCache
{
    /// <summary>Above this many files the cache starts over. The default value is 4,096.</summary>
    public const int MaxFiles = 4096;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Whether a regular file exists at <paramref name="path"/>.</summary>
    public static bool Exists(string path) => File.Exists(path);

    /// <summary>The file's text, or null when there is no such file. Throws <see cref="IOException"/> or
    /// <see cref="UnauthorizedAccessException"/> when it exists but cannot be read.</summary>
    public string? Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return null;
        }

        var stamp = info.LastWriteTimeUtc;
        var length = info.Length;
        if (_entries.TryGetValue(path, out var entry) && entry.Stamp == stamp && entry.Length == length)
        {
            return entry.Text;
        }

        var text = Decode(File.ReadAllBytes(path));
        if (_entries.Count >= MaxFiles)
        {
            _entries.Clear();
        }

        _entries[path] = new Entry(stamp, length, text);
        return text;
    }

    /// <summary>UTF-8, without a byte order mark if there is one (cheaper than a StreamReader for small files).</summary>
    private static string Decode(byte[] bytes)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            span = span[3..];
        }

        return Encoding.UTF8.GetString(span);
    }

    private sealed record Entry(DateTime Stamp, long Length, string Text);

    /// <summary>
    /// Reads the script a job starts from: null on success (with its full path and text), else the failed result
    /// naming the script (`cannot read script: ...`, `no such script`).
    /// </summary>
    internal PreprocessResult? ReadScript(string scriptPath, out string fullPath, out string text)
    {
        fullPath = Path.GetFullPath(scriptPath);
        text = string.Empty;
        string? read;
        try
        {
            read = Read(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PreprocessResult(string.Empty, [new PreprocessError(fullPath, 0, $"cannot read script: {e.Message}")]);
        }

        if (read is null)
        {
            return new PreprocessResult(string.Empty, [new PreprocessError(fullPath, 0, "no such script")]);
        }

        text = read;
        return null;
    }
}
