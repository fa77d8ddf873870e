using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;

namespace Takler.Server.Storage;

/// <summary>
/// The audit trail: every command from every client as one JSON line appended to a file
/// (`{"time":..., "peer":..., "user":..., "command":..., "paths":[...], "flag":0}`). Calls only queue the entry; a
/// background writer appends what is queued and flushes, off the engine's loop and the reply path, then lets the next
/// entries gather for <see cref="GatherTime"/>: a stream of child commands costs one wake-up and one write per
/// interval, not per command. Entries reach the file within about that time; stopping writes them all. The file is
/// opened for appending and never truncated.
/// </summary>
public sealed class AuditLog : IAsyncDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Channel<AuditEntry> _entries = Channel.CreateUnbounded<AuditEntry>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly FileStream _file;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _writer;

    private AuditLog(string path, FileStream file)
    {
        FilePath = path;
        _file = file;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>How long entries gather after a write before the next one.</summary>
    public static TimeSpan GatherTime { get; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>Opens (or creates) the file for appending; a file that cannot be opened is a <see cref="StorageException"/>.</summary>
    public static AuditLog Open(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            return new AuditLog(full, new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageException(full, $"cannot open the audit log: {e.Message}", e);
        }
    }

    /// <summary>Queues an entry; it reaches the file shortly after.</summary>
    public void Record(AuditEntry entry) => _entries.Writer.TryWrite(entry);

    /// <summary>Writes what is queued, flushes and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _entries.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task WriteAsync()
    {
        var reader = _entries.Reader;
        using var json = new Utf8JsonWriter(_file, Options);
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var entry))
                {
                    Write(json, entry);
                    await json.FlushAsync().ConfigureAwait(false);
                    json.Reset();
                    _file.WriteByte((byte)'\n');
                }

                await _file.FlushAsync().ConfigureAwait(false);
                // A batching interval, not a time the server keeps: the real clock, cut short by a stop.
                await Task.Delay(GatherTime, TimeProvider.System, _stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (IOException)
        {
            // A full or vanished disk must not take the server down through its audit trail; the entries are lost.
        }
    }

    private static void Write(Utf8JsonWriter w, AuditEntry e)
    {
        w.WriteStartObject();
        w.WriteString("time", e.Time.ToString("o", CultureInfo.InvariantCulture));
        w.WriteString("peer", e.Peer);
        if (e.User is not null)
        {
            w.WriteString("user", e.User);
        }

        w.WriteString("command", e.Command);
        w.WriteStartArray("paths");
        foreach (var path in e.Paths)
        {
            w.WriteStringValue(path);
        }

        w.WriteEndArray();
        if (e.Detail is not null)
        {
            w.WriteString("detail", e.Detail);
        }

        w.WriteNumber("flag", e.Flag);
        if (e.Message is not null)
        {
            w.WriteString("message", e.Message);
        }

        w.WriteEndObject();
    }
}
