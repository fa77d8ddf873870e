using Takler.Core.Nodes;
using Takler.Server.Storage;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Tests.Storage;

public sealed class StateWriterTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Records_are_appended_before_append_returns_when_commits_do_not_flush_and_nothing_is_queued()
    {
        var store = new GatedStore(flushesEachCommit: false);
        var writer = new StateWriter(store);

        var done = writer.Append([Record("a"), Record("b")], Time);

        Assert.True(done.IsCompletedSuccessfully);
        Assert.Equal(["a", "b"], store.Written);
        await writer.CompleteAsync();
    }

    [Fact]
    public async Task Records_wait_behind_a_queued_snapshot_and_are_written_after_it()
    {
        var store = new GatedStore(flushesEachCommit: false);
        var writer = new StateWriter(store);
        store.Gate.Reset();

        var snapshot = writer.WriteSnapshot("snapshot"u8.ToArray(), Time);
        await store.SnapshotStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var append = writer.Append([Record("a")], Time);

        Assert.False(append.IsCompleted);
        store.Gate.Set();
        await append.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(snapshot.IsCompletedSuccessfully);
        Assert.Equal(["snapshot", "a"], store.Written);

        // The queue is empty again: the next append is written at once.
        Assert.True(writer.Append([Record("b")], Time).IsCompletedSuccessfully);
        Assert.Equal(["snapshot", "a", "b"], store.Written);
        await writer.CompleteAsync();
    }

    [Fact]
    public async Task Records_are_queued_for_the_writer_when_each_commit_flushes()
    {
        var store = new GatedStore(flushesEachCommit: true);
        var writer = new StateWriter(store);
        store.Gate.Reset();

        var first = writer.Append([Record("a")], Time);
        await store.AppendStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var second = writer.Append([Record("b")], Time);

        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        store.Gate.Set();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["a", "b"], store.Written);
        await writer.CompleteAsync();
    }

    [Fact]
    public async Task After_a_failed_append_on_the_callers_thread_every_later_write_fails_and_nothing_more_is_written()
    {
        var store = new GatedStore(flushesEachCommit: false) { FailAppends = true };
        var writer = new StateWriter(store);

        var failed = writer.Append([Record("a")], Time);
        store.FailAppends = false;
        var later = writer.Append([Record("b")], Time);
        var snapshot = writer.WriteSnapshot("snapshot"u8.ToArray(), Time);

        Assert.Equal("memory: disk full", (await Assert.ThrowsAsync<StorageException>(() => failed)).Message);
        await Assert.ThrowsAsync<StorageException>(() => later);
        await Assert.ThrowsAsync<StorageException>(() => snapshot.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(store.Written);
        await writer.CompleteAsync();
    }

    [Fact]
    public async Task A_checkpoint_the_store_asks_for_runs_on_the_writer_and_later_appends_queue_behind_it()
    {
        var store = new GatedStore(flushesEachCommit: false) { CheckpointDue = true };
        var writer = new StateWriter(store);
        store.Gate.Reset();

        var first = writer.Append([Record("a")], Time);
        await store.CheckpointStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var second = writer.Append([Record("b")], Time);

        Assert.True(first.IsCompletedSuccessfully);
        Assert.NotEqual(store.AppendThread, store.CheckpointThread);
        Assert.False(second.IsCompleted);
        store.Gate.Set();
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["a", "b"], store.Written);
        await writer.CompleteAsync();
    }

    private static ReadOnlyMemory<byte> Record(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    /// <summary>Keeps what is written, as text; writes wait while <see cref="Gate"/> is reset.</summary>
    private sealed class GatedStore(bool flushesEachCommit) : IStateStore
    {
        private readonly List<string> _written = [];

        public ManualResetEventSlim Gate { get; } = new(initialState: true);

        public TaskCompletionSource SnapshotStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource AppendStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool FailAppends { get; set; }

        public TaskCompletionSource CheckpointStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool CheckpointDue { get; set; }

        public int AppendThread { get; private set; }

        public int CheckpointThread { get; private set; }

        public List<string> Written
        {
            get
            {
                lock (_written)
                {
                    return [.. _written];
                }
            }
        }

        public string Location => "memory";

        public bool FlushesEachCommit => flushesEachCommit;

        public long RecordsSinceSnapshot => 0;

        public DateTimeOffset? LastSnapshotAt => null;

        public StateRestore? Restore(Bunch bunch) => null;

        public void Append(IReadOnlyList<ReadOnlyMemory<byte>> records, DateTimeOffset time)
        {
            if (records.Count == 0)
            {
                return;
            }

            AppendThread = Environment.CurrentManagedThreadId;
            AppendStarted.TrySetResult();
            if (!CheckpointDue)
            {
                Gate.Wait(); // with a checkpoint due, the checkpoint waits instead
            }

            if (FailAppends)
            {
                throw new StorageException(Location, "disk full");
            }

            lock (_written)
            {
                _written.AddRange(records.Select(r => System.Text.Encoding.UTF8.GetString(r.Span)));
            }
        }

        public void WriteSnapshot(ReadOnlyMemory<byte> snapshot, DateTimeOffset time)
        {
            SnapshotStarted.TrySetResult();
            Gate.Wait();
            lock (_written)
            {
                _written.Add(System.Text.Encoding.UTF8.GetString(snapshot.Span));
            }
        }

        public void Checkpoint()
        {
            CheckpointThread = Environment.CurrentManagedThreadId;
            CheckpointStarted.TrySetResult();
            Gate.Wait();
            CheckpointDue = false;
        }

        public void Dispose() => Gate.Dispose();
    }
}
