using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Takler.Core;
using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Nodes;

namespace Takler.Server.Storage;

/// <summary>
/// The state in a SQLite database (by default `TAKLER_HOME/takler.db`), three tables:
/// <list type="bullet">
/// <item>`metadata(key, value)`: `format` = <see cref="FormatName"/>, `version` = <see cref="FormatVersion"/>, so that a
/// foreign database is recognised and refused;</item>
/// <item>`snapshots(id, created_at, last_seq, data)`: our lossless snapshot JSON of the whole bunch
/// (<see cref="SnapshotWriter"/>), covering the journal up to `last_seq`, compressed (<see cref="StoredSnapshot"/>);</item>
/// <item>`journal(seq, batch, time, record)`: node state records (<see cref="NodeStateRecord"/>), one row each, every
/// engine commit one `batch` (written by one multi-row INSERT when it has up to 32 records).</item>
/// </list>
/// The database is in WAL mode with an exclusive lock held while the server runs (a second server on the same file
/// is refused). The log is checkpointed when <see cref="CheckpointDue"/> says so, by the state writer off the
/// engine's loop; it is written through <see cref="FrameWriteVfs"/> (a frame in one write), and journal rows go in
/// by statements run through SQLite's own interface, so that a commit of a few records costs little on the loop.
/// Opening never writes to a file that is not ours: a file that is not SQLite, or a SQLite database
/// without our metadata, is a <see cref="StorageException"/> and stays untouched.
/// </summary>
public sealed class SqliteStateStore : IStateStore
{
    /// <summary>The `format` value in the metadata table.</summary>
    public const string FormatName = "takler-dotnet-state";

    /// <summary>The `version` value this build writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The path that asks for a database in memory (nothing survives the process; for tests).</summary>
    public const string InMemory = ":memory:";

    /// <summary>
    /// The most journal rows one INSERT statement writes. A batch of up to this many records is one statement and
    /// so its own transaction (no BEGIN and COMMIT to run); a larger one is several statements in a transaction.
    /// </summary>
    private const int RowsPerInsert = 32;

    /// <summary>
    /// Pages in the log (40 MB) after which <see cref="CheckpointDue"/>. A checkpoint costs two flushes to disk
    /// whatever its size, so it pays to let the log grow (at SQLite's default of 1,000 pages, a busy server would
    /// checkpoint a few times a second).
    /// </summary>
    private const int CheckpointAfterPages = 10_000;

    /// <summary>Pages in the log after which SQLite checkpoints by itself, in whichever commit crosses it (a backstop).</summary>
    private const int AutoCheckpointPages = 2 * CheckpointAfterPages;

    /// <summary>SQLite's page size for new databases (its default).</summary>
    private const int PageSize = 4096;

    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    /// <summary>The warm-up started by <see cref="StartWarmUp"/>, if any.</summary>
    private static System.Threading.Tasks.Task? _warmUp;

    private readonly SqliteConnection _connection;
    /// <summary>The inserts of 1 to <see cref="RowsPerInsert"/> journal rows, each prepared when first needed.</summary>
    private readonly JournalInsert?[] _inserts = new JournalInsert?[RowsPerInsert + 1];
    private readonly SqliteCommand _checkpoint;
    private long _nextSeq;
    private long _nextBatch;
    /// <summary>
    /// An estimate of the pages written to the log since the last checkpoint: an append rewrites the journal's last
    /// page and adds its records; a snapshot adds its own bytes and the journal pages it deletes.
    /// </summary>
    private long _logPages;

    private SqliteStateStore(string location, SqliteConnection connection, StorageSynchronous synchronous)
    {
        Location = location;
        Synchronous = synchronous;
        _connection = connection;
        _checkpoint = connection.CreateCommand();
        _checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
    }

    /// <inheritdoc/>
    public string Location { get; }

    /// <summary>When a commit is durable: see <see cref="StorageSynchronous"/>.</summary>
    public StorageSynchronous Synchronous { get; }

    /// <inheritdoc/>
    /// <remarks>With <see cref="StorageSynchronous.Normal"/> in WAL mode a commit is a write to the log, not an fsync.</remarks>
    public bool FlushesEachCommit => Synchronous != StorageSynchronous.Normal;

    /// <inheritdoc/>
    public bool CheckpointDue => _logPages >= CheckpointAfterPages;

    /// <inheritdoc/>
    public long RecordsSinceSnapshot { get; private set; }

    /// <inheritdoc/>
    public DateTimeOffset? LastSnapshotAt { get; private set; }

    /// <summary>
    /// Starts opening and closing a database in memory on another core: loads SQLite and readies the code that opens a
    /// store, so that a server opening its real database, later, does not pay for that. <see cref="Open"/> waits for
    /// it to end (whatever its outcome: what failed fails again, with its message, when the real database is opened).
    /// </summary>
    public static void StartWarmUp()
    {
        if (Volatile.Read(ref _warmUp) is null)
        {
            Interlocked.CompareExchange(ref _warmUp, System.Threading.Tasks.Task.Run(() => OpenWarm(InMemory, StorageSynchronous.Normal).Dispose()), null);
        }
    }

    /// <summary>
    /// Opens the database at <paramref name="path"/>, creating it when there is no file (or an empty one). A file that
    /// is not a Takler state database, a damaged one, one in use by another server, or a place where none can be
    /// created is a <see cref="StorageException"/>; such a file is not written to.
    /// </summary>
    public static SqliteStateStore Open(string path, StorageSynchronous synchronous = StorageSynchronous.Normal)
    {
        try
        {
            Volatile.Read(ref _warmUp)?.Wait();
        }
#pragma warning disable CA1031 // Whatever failed in the warm-up fails again below, with its message.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        return OpenWarm(path, synchronous);
    }

    private static SqliteStateStore OpenWarm(string path, StorageSynchronous synchronous)
    {
        var inMemory = path == InMemory;
        var location = inMemory ? path : Path.GetFullPath(path);
        if (!inMemory)
        {
            CheckFile(location);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = location,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 2,
        };
        if (!inMemory)
        {
            // Each log frame in one write instead of two (see FrameWriteVfs).
            FrameWriteVfs.Register();
            builder.Vfs = FrameWriteVfs.Name;
        }

        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();

            // Before any write: exclusive locking (one server per file, no shared-memory index), then look at what is there.
            Scalar(connection, "PRAGMA locking_mode=EXCLUSIVE");
            var tables = Tables(connection);
            if (tables.Count > 0)
            {
                CheckSchema(connection, tables, location);
            }

            if (!inMemory && !string.Equals(Scalar(connection, "PRAGMA journal_mode=WAL") as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new StorageException(location, "cannot use write-ahead logging (journal_mode=WAL)");
            }

            if (tables.Count == 0)
            {
                Create(connection);
            }

            Scalar(connection, synchronous == StorageSynchronous.Full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
            Scalar(connection, "PRAGMA journal_size_limit=67108864");

            // The writer checkpoints (CheckpointDue) off the engine's loop; SQLite's own, in whichever commit crosses
            // the limit, is only a backstop (its fsyncs would stall the loop).
            Scalar(connection, $"PRAGMA wal_autocheckpoint={AutoCheckpointPages}");

            // Take the write lock now, so that a second server on this file is refused at its start, not at its first change.
            Execute(connection, "BEGIN IMMEDIATE; COMMIT;");
            var store = new SqliteStateStore(location, connection, synchronous);
            store.LoadCounters();
            return store;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new StorageException(location, Describe(e), e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public StateRestore? Restore(Bunch bunch) => Restore(bunch, snapshotRead: null);

    /// <summary>
    /// <see cref="Restore(Bunch)"/>, telling <paramref name="snapshotRead"/> of the snapshot's bytes as stored (read
    /// them with <see cref="StoredSnapshot.OpenRead"/>) before they are read into <paramref name="bunch"/>, so that
    /// another copy can be read from them. The bytes must only be read. The snapshot is decompressed as it is read:
    /// its JSON is never all in memory (see <see cref="SnapshotReader.ReadInto(Bunch, Stream)"/>).
    /// </summary>
    public StateRestore? Restore(Bunch bunch, Action<byte[]>? snapshotRead)
    {
        try
        {
            using var latest = _connection.CreateCommand();
            latest.CommandText = "SELECT id, created_at, last_seq, data FROM snapshots ORDER BY id DESC LIMIT 1";
            long id;
            DateTimeOffset createdAt;
            long lastSeq;
            byte[] stored;
            using (var reader = latest.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return null;
                }

                id = reader.GetInt64(0);
                createdAt = DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
                lastSeq = reader.GetInt64(2);
                stored = (byte[])reader.GetValue(3);
            }

            IReadOnlyList<Flow> flows;
            try
            {
                using var json = StoredSnapshot.OpenRead(stored);
                snapshotRead?.Invoke(stored);
                flows = SnapshotReader.ReadInto(bunch, json);
            }
            catch (Exception e) when (e is TaklerException or InvalidDataException)
            {
                throw new StorageException(Location, $"damaged: snapshot {id}: {e.Message}", e);
            }

            var journalRecords = new List<byte[]>();
            using var journal = _connection.CreateCommand();
            journal.CommandText = "SELECT seq, record FROM journal WHERE seq > $last ORDER BY seq";
            journal.Parameters.AddWithValue("$last", lastSeq);
            using (var reader = journal.ExecuteReader())
            {
                while (reader.Read())
                {
                    var seq = reader.GetInt64(0);
                    var record = (byte[])reader.GetValue(1);
                    try
                    {
                        NodeStateRecord.Apply(bunch, record);
                    }
                    catch (TaklerException e)
                    {
                        throw new StorageException(Location, $"damaged: journal record {seq}: {e.Message}", e);
                    }

                    journalRecords.Add(record);
                }
            }

            if (journalRecords.Count > 0)
            {
                // Records may have moved limit tokens; the snapshot's own holders were re-linked as it was read.
                NodeStateRecord.RelinkHeldLimits(bunch);
            }

            return new StateRestore(id, createdAt, journalRecords.Count, flows.Select(f => f.Name).ToList())
            {
                JournalRecords = journalRecords,
            };
        }
        catch (SqliteException e)
        {
            throw new StorageException(Location, Describe(e), e);
        }
        catch (InvalidCastException e)
        {
            throw new StorageException(Location, $"damaged: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new StorageException(Location, $"damaged: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public void Append(IReadOnlyList<ReadOnlyMemory<byte>> records, DateTimeOffset time)
    {
        if (records.Count == 0)
        {
            return;
        }

        var batch = _nextBatch;
        Span<byte> timeText = stackalloc byte[InstantMaxLength];
        timeText = timeText[..Instant(time, timeText)];
        long bytes = 0;
        for (var i = 0; i < records.Count; i++)
        {
            // Not foreach: the enumerator of an IReadOnlyList is an allocation.
            bytes += records[i].Length;
        }

        var seq = _nextSeq;
        if (records.Count <= RowsPerInsert)
        {
            Insert(records, 0, records.Count, seq, batch, timeText);
            seq += records.Count;
        }
        else
        {
            using var transaction = _connection.BeginTransaction();
            for (var at = 0; at < records.Count; at += RowsPerInsert)
            {
                var count = Math.Min(RowsPerInsert, records.Count - at);
                Insert(records, at, count, seq, batch, timeText);
                seq += count;
            }

            transaction.Commit();
        }

        _nextSeq = seq;
        _nextBatch++;
        _logPages += 1 + (bytes / PageSize);
        RecordsSinceSnapshot += records.Count;
    }

    private void Insert(IReadOnlyList<ReadOnlyMemory<byte>> records, int from, int count, long firstSeq, long batch, ReadOnlySpan<byte> time)
    {
        var insert = _inserts[count] ??= new JournalInsert(_connection.Handle!, count);
        insert.Run(records, from, firstSeq, batch, time);
    }

    /// <inheritdoc/>
    public void WriteSnapshot(ReadOnlyMemory<byte> snapshot, DateTimeOffset time)
    {
        var lastSeq = _nextSeq - 1;
        using var transaction = _connection.BeginTransaction();
        using var insert = _connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText =
            "INSERT INTO snapshots (created_at, last_seq, last_batch, data) VALUES ($time, $last, $batch, $data); " +
            "DELETE FROM snapshots WHERE id < last_insert_rowid(); " +
            "DELETE FROM journal WHERE seq <= $last;";
        insert.Parameters.AddWithValue("$time", Instant(time));
        insert.Parameters.AddWithValue("$last", lastSeq);
        insert.Parameters.AddWithValue("$batch", _nextBatch);
        var stored = StoredSnapshot.Encode(snapshot.Span);
        insert.Parameters.Add("$data", SqliteType.Blob).Value = stored;
        insert.ExecuteNonQuery();
        transaction.Commit();
        _nextBatch++;
        _logPages += 1 + (stored.Length / PageSize) + (RecordsSinceSnapshot * 256 / PageSize); // records of ~256 bytes
        RecordsSinceSnapshot = 0;
        LastSnapshotAt = time;
    }

    /// <inheritdoc/>
    public void Checkpoint()
    {
        _checkpoint.ExecuteNonQuery();
        _logPages = 0;
    }

    public void Dispose()
    {
        // Before the connection closes: a statement left unfinalized would keep the database open.
        foreach (var insert in _inserts)
        {
            insert?.Dispose();
        }

        _checkpoint.Dispose();
        _connection.Dispose();
    }

    /// <summary>Refuses, without opening it as a database, a file that is not SQLite, or a directory that is not there.</summary>
    private static void CheckFile(string location)
    {
        if (Directory.Exists(location))
        {
            throw new StorageException(location, "is a directory");
        }

        if (!File.Exists(location))
        {
            var directory = Path.GetDirectoryName(location);
            if (directory is not null && !Directory.Exists(directory))
            {
                throw new StorageException(location, $"cannot create: directory {directory} does not exist");
            }

            return;
        }

        Span<byte> header = stackalloc byte[16];
        int read;
        try
        {
            using var file = new FileStream(location, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageException(location, $"cannot read: {e.Message}", e);
        }

        if (read > 0 && (read < header.Length || !header.SequenceEqual(SqliteHeader)))
        {
            throw new StorageException(location, "file is not a database");
        }
    }

    private static List<string> Tables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type IN ('table', 'view', 'index', 'trigger') ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static void Create(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL); " +
            "CREATE TABLE snapshots (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, last_seq INTEGER NOT NULL, last_batch INTEGER NOT NULL, data BLOB NOT NULL); " +
            "CREATE TABLE journal (seq INTEGER PRIMARY KEY, batch INTEGER NOT NULL, time TEXT NOT NULL, record BLOB NOT NULL); " +
            "INSERT INTO metadata (key, value) VALUES ('format', $format), ('version', $version), ('snapshot_format', $snapshot);";
        command.Parameters.AddWithValue("$format", FormatName);
        command.Parameters.AddWithValue("$version", FormatVersion.ToString(CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$snapshot", $"{SnapshotFormat.Name} {SnapshotFormat.Version}");
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    private static void CheckSchema(SqliteConnection connection, List<string> tables, string location)
    {
        if (!tables.Contains("metadata"))
        {
            throw new StorageException(location, "not a Takler database (no metadata table)");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT key, value FROM metadata";
            try
            {
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    metadata[reader.GetValue(0)?.ToString() ?? string.Empty] = reader.GetValue(1)?.ToString() ?? string.Empty;
                }
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 1)
            {
                throw new StorageException(location, $"not a Takler database (metadata table: {e.Message})", e);
            }
        }

        if (!metadata.TryGetValue("format", out var format))
        {
            throw new StorageException(location, "not a Takler database (no format in the metadata table)");
        }

        if (format != FormatName)
        {
            throw new StorageException(location, $"not a Takler database (format '{format}')");
        }

        if (!metadata.TryGetValue("version", out var versionText) || !int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new StorageException(location, "damaged: no version in the metadata table");
        }

        if (version != FormatVersion)
        {
            throw new StorageException(location, $"state version {version} is not supported; this build reads version {FormatVersion}");
        }

        foreach (var table in (string[])["snapshots", "journal"])
        {
            if (!tables.Contains(table))
            {
                throw new StorageException(location, $"damaged: no {table} table");
            }
        }
    }

    private void LoadCounters()
    {
        using var command = _connection.CreateCommand();
        command.CommandText =
            "SELECT (SELECT max(last_seq) FROM snapshots), (SELECT max(seq) FROM journal), (SELECT max(last_batch) FROM snapshots), " +
            "(SELECT max(batch) FROM journal), (SELECT count(*) FROM journal WHERE seq > coalesce((SELECT max(last_seq) FROM snapshots), 0)), " +
            "(SELECT created_at FROM snapshots ORDER BY id DESC LIMIT 1)";
        using var reader = command.ExecuteReader();
        reader.Read();
        long Get(int i) => reader.IsDBNull(i) ? 0 : reader.GetInt64(i);
        _nextSeq = Math.Max(Get(0), Get(1)) + 1;
        _nextBatch = Math.Max(Get(2), Get(3)) + 1;
        RecordsSinceSnapshot = Get(4);
        LastSnapshotAt = reader.IsDBNull(5) ? null : DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }

    private static string Instant(DateTimeOffset time) => time.ToString("o", CultureInfo.InvariantCulture);

    /// <summary>The length of the longest <see cref="Instant(DateTimeOffset)"/> (`2026-01-02T03:04:05.1234567+00:00`), and then some.</summary>
    private const int InstantMaxLength = 40;

    /// <summary><see cref="Instant(DateTimeOffset)"/> as UTF-8 into <paramref name="destination"/>: its length.</summary>
    private static int Instant(DateTimeOffset time, Span<byte> destination)
    {
        if (!time.TryFormat(destination, out var written, "o", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"the time {time:o} does not fit in {destination.Length} bytes");
        }

        return written;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// One INSERT of <c>count</c> journal rows: seq <c>?1</c>, <c>?1 + 1</c>, ...; batch <c>?2</c>, time <c>?3</c>, records
    /// <c>?4</c>, <c>?5</c>, .... Prepared once and run through SQLite's own interface (<see cref="raw"/>) on the store's
    /// connection: the hot path of every commit, where a <see cref="SqliteCommand"/> would look up, convert and copy
    /// each parameter again each time. An error is the <see cref="SqliteException"/> the command would throw.
    /// </summary>
    private sealed class JournalInsert : IDisposable
    {
        private const int FirstSeq = 1;
        private const int Batch = 2;
        private const int Time = 3;
        private const int FirstRecord = 4;

        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;
        private readonly int _count;

        public JournalInsert(sqlite3 db, int count)
        {
            _db = db;
            _count = count;
            var rows = Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"(?{FirstSeq} + {i}, ?{Batch}, ?{Time}, ?{FirstRecord + i})"));
            var sql = "INSERT INTO journal (seq, batch, time, record) VALUES " + string.Join(", ", rows);
            Check(raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement));
        }

        /// <summary>Inserts <c>records[from..from + count]</c>, the first with seq <paramref name="firstSeq"/>.</summary>
        public void Run(IReadOnlyList<ReadOnlyMemory<byte>> records, int from, long firstSeq, long batch, ReadOnlySpan<byte> time)
        {
            try
            {
                Check(raw.sqlite3_bind_int64(_statement, FirstSeq, firstSeq));
                Check(raw.sqlite3_bind_int64(_statement, Batch, batch));
                Check(raw.sqlite3_bind_text(_statement, Time, time));
                for (var i = 0; i < _count; i++)
                {
                    // SQLite copies the bytes (SQLITE_TRANSIENT): the caller's buffer can be reused once this returns.
                    // No bytes would bind as NULL, not as an empty blob.
                    var record = records[from + i].Span;
                    Check(record.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, FirstRecord + i, 0) : raw.sqlite3_bind_blob(_statement, FirstRecord + i, record));
                }

                Check(raw.sqlite3_step(_statement));
            }
            finally
            {
                // Ends the statement (a statement still running would hold the transaction open); its error, if any, was the step's.
                raw.sqlite3_reset(_statement);
            }
        }

        public void Dispose() => _statement.Dispose();

        /// <summary>Throws for a result that is not OK, ROW or DONE.</summary>
        private void Check(int result) => SqliteException.ThrowExceptionForRC(result, _db);
    }

    /// <summary>SQLite's reason in a few words (`file is not a database`, `database is locked`).</summary>
    private static string Describe(SqliteException e) => e.SqliteErrorCode switch
    {
        26 => "file is not a database",
        11 => "damaged: database disk image is malformed",
        5 or 6 => "in use by another server (database is locked)",
        14 => "cannot open or create the database file",
        8 => "read-only: cannot write the database",
        13 => "disk full",
        10 => $"I/O error: {e.Message}",
        _ => e.Message,
    };
}
