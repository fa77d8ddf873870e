using System.Text;
using Microsoft.Data.Sqlite;
using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Nodes;
using Takler.Server.Storage;

namespace Takler.Server.Tests.Storage;

public class SqliteStateStoreTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_database_is_ours_and_opens_again_with_nothing_to_restore()
    {
        using var dir = new TempDirectory();
        var path = dir.File("takler.db");
        using (var store = SqliteStateStore.Open(path))
        {
            Assert.Equal(path, store.Location);
            Assert.Null(store.Restore(new Bunch()));
        }

        using (var again = SqliteStateStore.Open(path))
        {
            Assert.Null(again.LastSnapshotAt);
        }

        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM metadata WHERE key = 'format'";
        Assert.Equal(SqliteStateStore.FormatName, command.ExecuteScalar());
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public void Restore_reads_the_latest_snapshot_then_the_journal_after_it()
    {
        using var dir = new TempDirectory();
        var path = dir.File("takler.db");
        var bunch = OneFlow();
        var task = (Takler.Core.Nodes.Task)bunch.GetNode("/f/t");
        using (var store = SqliteStateStore.Open(path))
        {
            store.WriteSnapshot(SnapshotWriter.ToBytes(bunch), T0);
            var ops = new Takler.Core.Operations(bunch, TimeProvider.System);
            ops.Submit(task, "secret");
            store.Append([NodeStateRecord.ToBytes(task)], T0.AddSeconds(1));
            ops.SetMeter("/f/t", "m", 7);
            store.Append([NodeStateRecord.ToBytes(task), NodeStateRecord.ToBytes(bunch.GetNode("/f"))], T0.AddSeconds(2));
            Assert.Equal(3, store.RecordsSinceSnapshot);
        }

        using var reopened = SqliteStateStore.Open(path);
        Assert.Equal(3, reopened.RecordsSinceSnapshot);
        Assert.Equal(T0, reopened.LastSnapshotAt);
        var restored = new Bunch();
        var what = reopened.Restore(restored);

        Assert.NotNull(what);
        Assert.Equal(3, what.Records);
        Assert.Equal(["f"], what.Flows);
        Assert.Equal(Encoding.UTF8.GetString(SnapshotWriter.ToBytes(bunch)), Encoding.UTF8.GetString(SnapshotWriter.ToBytes(restored)));
        Assert.Equal("secret", ((Takler.Core.Nodes.Task)restored.GetNode("/f/t")).Password);
    }

    [Fact]
    public void A_snapshot_deletes_the_journal_it_covers_and_older_snapshots_in_the_same_transaction()
    {
        using var dir = new TempDirectory();
        var path = dir.File("takler.db");
        var bunch = OneFlow();
        using (var store = SqliteStateStore.Open(path))
        {
            store.WriteSnapshot(SnapshotWriter.ToBytes(bunch), T0);
            store.Append([NodeStateRecord.ToBytes(bunch.GetNode("/f/t"))], T0);
            store.WriteSnapshot(SnapshotWriter.ToBytes(bunch), T0.AddMinutes(1));
            store.Append([NodeStateRecord.ToBytes(bunch.GetNode("/f/t"))], T0.AddMinutes(2));
            Assert.Equal(1, store.RecordsSinceSnapshot);
        }

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM snapshots";
        Assert.Equal(1L, command.ExecuteScalar());
        command.CommandText = "SELECT seq FROM journal";
        Assert.Equal(2L, command.ExecuteScalar());
    }

    [Fact]
    public void Batches_larger_than_one_insert_are_stored_in_order_with_one_seq_per_record_and_one_batch_each()
    {
        using var dir = new TempDirectory();
        var path = dir.File("takler.db");
        ReadOnlyMemory<byte>[] Records(int from, int count) =>
            Enumerable.Range(from, count).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes($"r{i}")).ToArray();
        using (var store = SqliteStateStore.Open(path))
        {
            store.Append(Records(0, 1), T0);
            store.Append(Records(1, 70), T0.AddSeconds(1));
            store.Append(Records(71, 5), T0.AddSeconds(2));
            Assert.Equal(76, store.RecordsSinceSnapshot);
        }

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, batch, record FROM journal ORDER BY seq";
        var rows = new List<(long Seq, long Batch, string Record)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetInt64(1), Encoding.UTF8.GetString((byte[])reader.GetValue(2))));
            }
        }

        Assert.Equal(Enumerable.Range(1, 76).Select(i => (long)i), rows.Select(r => r.Seq));
        Assert.Equal(Enumerable.Range(0, 76).Select(i => $"r{i}"), rows.Select(r => r.Record));
        Assert.Equal(3, rows.Select(r => r.Batch).Distinct().Count());
        Assert.Single(rows.Skip(1).Take(70).Select(r => r.Batch).Distinct());
    }

    [Fact]
    public void Journal_rows_keep_the_bytes_as_appended_even_when_the_buffer_is_reused_the_time_as_round_trip_text_and_an_empty_record_as_an_empty_blob()
    {
        using var dir = new TempDirectory();
        var path = dir.File("takler.db");
        var buffer = new byte[6];
        var times = new[] { new DateTimeOffset(2024, 5, 1, 12, 0, 0, 123, TimeSpan.Zero).AddTicks(4567), new DateTimeOffset(2024, 5, 1, 14, 0, 0, TimeSpan.FromHours(2)) };
        using (var store = SqliteStateStore.Open(path))
        {
            // The records are slices of one buffer that the caller fills again for the next commit.
            Encoding.UTF8.GetBytes("aaabbb", buffer);
            store.Append([buffer.AsMemory(0, 3), buffer.AsMemory(3, 3), ReadOnlyMemory<byte>.Empty], times[0]);
            Encoding.UTF8.GetBytes("cccddd", buffer);
            store.Append([buffer.AsMemory(0, 6)], times[1]);
        }

        using (var again = SqliteStateStore.Open(path))
        {
            Assert.Equal(4, again.RecordsSinceSnapshot);
        }

        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, batch, time, typeof(record), record FROM journal ORDER BY seq";
        var rows = new List<(long Seq, long Batch, string Time, string Type, string Record)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), Encoding.UTF8.GetString((byte[])reader.GetValue(4))));
            }
        }

        var first = times[0].ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        var second = times[1].ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            [(1L, 1L, first, "blob", "aaa"), (2L, 1L, first, "blob", "bbb"), (3L, 1L, first, "blob", ""), (4L, 2L, second, "blob", "cccddd")],
            rows);
        Assert.Equal("2024-05-01T12:00:00.1234567+00:00", first);
    }

    [Theory]
    [InlineData(StorageSynchronous.Normal)]
    [InlineData(StorageSynchronous.Full)]
    public void Every_append_is_in_the_files_when_it_returns_and_sqlite_reads_them_as_a_crash_left_them(StorageSynchronous synchronous)
    {
        using var dir = new TempDirectory();
        var path = dir.File("takler.db");
        var crashed = dir.File("crashed.db");
        var expected = new List<string>();
        ReadOnlyMemory<byte>[] Records(int count) => Enumerable.Range(0, count).Select(_ =>
        {
            expected.Add($"record {expected.Count} {new string('x', 150)}");
            return (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(expected[^1]);
        }).ToArray();

        using (var store = SqliteStateStore.Open(path, synchronous))
        {
            // Commits of one frame, of many pages, and after a checkpoint (the log starts again at its beginning).
            for (var i = 0; i < 40; i++)
            {
                store.Append(Records(1), T0);
            }

            store.Append(Records(70), T0);
            store.Checkpoint();
            for (var i = 0; i < 40; i++)
            {
                store.Append(Records(1 + (i % 3)), T0);
            }

            // What kill -9 would leave: the files as they are, the store still open.
            File.Copy(path, crashed);
            File.Copy(path + "-wal", crashed + "-wal");
        }

        // Read with SQLite's default VFS, which recovers the log as after a crash.
        using var connection = new SqliteConnection($"Data Source={crashed};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", command.ExecuteScalar());
        command.CommandText = "SELECT record FROM journal ORDER BY seq";
        var records = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                records.Add(Encoding.UTF8.GetString((byte[])reader.GetValue(0)));
            }
        }

        Assert.Equal(189, expected.Count);
        Assert.Equal(expected, records);
    }

    [Fact]
    public void A_checkpoint_is_due_once_the_log_holds_about_forty_megabytes_and_not_after()
    {
        using var dir = new TempDirectory();
        using var store = SqliteStateStore.Open(dir.File("takler.db"));
        store.WriteSnapshot(SnapshotWriter.ToBytes(OneFlow()), T0);
        Assert.False(store.CheckpointDue);

        // Random bytes: snapshots are stored compressed, and these stay 20 MB.
        var incompressible = new byte[20 << 20];
        new Random(7).NextBytes(incompressible);
        store.WriteSnapshot(incompressible, T0.AddMinutes(1));
        Assert.False(store.CheckpointDue);
        store.WriteSnapshot(incompressible, T0.AddMinutes(2));
        Assert.True(store.CheckpointDue);

        store.Checkpoint();
        Assert.False(store.CheckpointDue);
        store.Append([new byte[200]], T0.AddMinutes(3));
        Assert.False(store.CheckpointDue);
    }

    [Fact]
    public void A_file_that_is_not_sqlite_is_refused_and_left_as_it_was()
    {
        using var dir = new TempDirectory();
        var path = dir.File("takler.db");
        var garbage = new byte[5000];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(path, garbage);

        var e = Assert.Throws<StorageException>(() => SqliteStateStore.Open(path));

        Assert.Equal($"{path}: file is not a database", e.Message);
        Assert.Equal(garbage, File.ReadAllBytes(path));
        Assert.Equal(["takler.db"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("CREATE TABLE songs (title TEXT)", "not a Takler database (no metadata table)")]
    [InlineData("CREATE TABLE metadata (key TEXT, value TEXT); INSERT INTO metadata VALUES ('format', 'other-app')", "not a Takler database (format 'other-app')")]
    [InlineData("CREATE TABLE metadata (key TEXT, value TEXT); INSERT INTO metadata VALUES ('format', 'takler-dotnet-state'), ('version', '99')", "state version 99 is not supported; this build reads version 1")]
    [InlineData("CREATE TABLE metadata (key TEXT, value TEXT); INSERT INTO metadata VALUES ('format', 'takler-dotnet-state'), ('version', '1')", "damaged: no snapshots table")]
    public void A_foreign_sqlite_database_is_refused_and_left_as_it_was(string sql, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.File("other.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        var before = File.ReadAllBytes(path);

        var e = Assert.Throws<StorageException>(() => SqliteStateStore.Open(path));

        Assert.Equal($"{path}: {problem}", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_second_server_on_the_same_database_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("takler.db");
        using var first = SqliteStateStore.Open(path);

        var e = Assert.Throws<StorageException>(() => SqliteStateStore.Open(path));

        Assert.Equal($"{path}: in use by another server (database is locked)", e.Message);
    }

    [Fact]
    public void A_database_where_none_can_be_created_is_refused()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "missing", "takler.db");

        var e = Assert.Throws<StorageException>(() => SqliteStateStore.Open(path));

        Assert.Equal($"{path}: cannot create: directory {Path.Combine(dir.Path, "missing")} does not exist", e.Message);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "missing")));
    }

    [Fact]
    public void A_journal_record_that_does_not_fit_the_snapshot_is_reported_as_damage()
    {
        using var dir = new TempDirectory();
        var path = dir.File("takler.db");
        using (var store = SqliteStateStore.Open(path))
        {
            store.WriteSnapshot(SnapshotWriter.ToBytes(OneFlow()), T0);
            store.Append([Encoding.UTF8.GetBytes("{\"path\":\"/f/gone\",\"status\":\"queued\"}")], T0);
        }

        using var reopened = SqliteStateStore.Open(path);
        var e = Assert.Throws<StorageException>(() => reopened.Restore(new Bunch()));

        Assert.StartsWith($"{path}: damaged: journal record 1: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("/f/gone", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_is_stored_compressed_and_reads_back_exactly()
    {
        using var dir = new TempDirectory();
        var path = dir.File("takler.db");
        var bunch = new Bunch();
        var flow = bunch.AddFlow(new Flow("f"));
        for (var i = 0; i < 500; i++)
        {
            flow.AddTask($"t{i}").AddMeter("progress", 0, 100).AddEvent("done").AddLabel("info", string.Empty);
        }

        var json = SnapshotWriter.ToBytes(bunch);
        using (var store = SqliteStateStore.Open(path))
        {
            store.WriteSnapshot(json, T0);
        }

        var stored = StoredValue(path, "SELECT data FROM snapshots");
        Assert.Equal([0, (byte)'B', (byte)'R', (byte)'1'], stored[..4]);
        Assert.True(stored.Length * 10 < json.Length, $"{stored.Length} bytes stored for {json.Length} bytes of JSON");

        using var reopened = SqliteStateStore.Open(path);
        var restored = new Bunch();
        Assert.NotNull(reopened.Restore(restored));
        Assert.Equal(json, SnapshotWriter.ToBytes(restored));
    }

    [Fact]
    public void A_snapshot_stored_as_plain_json_by_an_earlier_version_is_restored()
    {
        using var dir = new TempDirectory();
        var path = dir.File("takler.db");
        var json = SnapshotWriter.ToBytes(OneFlow());
        using (SqliteStateStore.Open(path))
        {
        }

        Execute(path, "INSERT INTO snapshots (created_at, last_seq, last_batch, data) VALUES ('2024-05-01T12:00:00.0000000+00:00', 0, 1, $data)", json);

        using var reopened = SqliteStateStore.Open(path);
        var restored = new Bunch();
        Assert.NotNull(reopened.Restore(restored));
        Assert.Equal(json, SnapshotWriter.ToBytes(restored));
    }

    [Theory]
    [InlineData("cut", "the compressed snapshot does not decompress to the")]
    [InlineData("garbage", "the compressed snapshot does not decompress to the")]
    [InlineData("header only", "the compressed snapshot is cut short")]
    [InlineData("huge length", "the compressed snapshot states a length of 2147483647 bytes")]
    public void A_damaged_compressed_snapshot_is_refused_and_the_file_left_as_it_was(string damage, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.File("takler.db");
        using (var store = SqliteStateStore.Open(path))
        {
            store.WriteSnapshot(SnapshotWriter.ToBytes(OneFlow()), T0);
        }

        var stored = StoredValue(path, "SELECT data FROM snapshots");
        var damaged = damage switch
        {
            "cut" => stored[..(stored.Length / 2)],
            "garbage" => [.. stored[..8], .. Enumerable.Repeat((byte)0xA5, 40)],
            "huge length" => [.. stored[..4], 0xFF, 0xFF, 0xFF, 0x7F, .. stored[8..]],
            _ => stored[..6],
        };
        Execute(path, "UPDATE snapshots SET data = $data", damaged);
        var before = File.ReadAllBytes(path);

        using (var reopened = SqliteStateStore.Open(path))
        {
            var e = Assert.Throws<StorageException>(() => reopened.Restore(new Bunch()));
            Assert.StartsWith($"{path}: damaged: snapshot 1: {problem}", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void An_in_memory_store_works_and_keeps_nothing()
    {
        using var store = SqliteStateStore.Open(SqliteStateStore.InMemory);
        store.WriteSnapshot(SnapshotWriter.ToBytes(OneFlow()), T0);
        var restored = new Bunch();
        Assert.NotNull(store.Restore(restored));
        Assert.NotNull(restored.FindFlow("f"));
    }

    private static byte[] StoredValue(string path, string query)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = query;
        return (byte[])command.ExecuteScalar()!;
    }

    private static void Execute(string path, string sql, byte[] data)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add("$data", SqliteType.Blob).Value = data;
        command.ExecuteNonQuery();
    }

    private static Bunch OneFlow()
    {
        var bunch = new Bunch();
        var flow = bunch.AddFlow(new Flow("f"));
        flow.AddLimit("l", 2);
        flow.AddTask("t").AddMeter("m", 0, 10).AddInLimit("l");
        new Takler.Core.Operations(bunch, TimeProvider.System).Begin("f");
        return bunch;
    }
}
