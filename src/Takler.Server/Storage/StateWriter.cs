using System.Threading.Channels;

namespace Takler.Server.Storage;

/// <summary>
/// Writes to the <see cref="IStateStore"/> in order, off the engine's loop when that pays. While one transaction is
/// being flushed, the loop goes on applying commands and queues their records; the writer then commits everything
/// queued in one transaction (group commit across batches), so one flush serves many batches. Each queued write
/// completes its task when it is durable; after a failure every later write fails with the same error and nothing
/// more is written.
/// <para>
/// When commits do not wait for the disk (<see cref="IStateStore.FlushesEachCommit"/> false) and nothing is queued or
/// being written, records are appended on the caller's thread instead: a commit then costs less than the two thread
/// hand-offs (to the writer and back) that queuing it would.
/// </para>
/// One thread (the engine's loop) calls <see cref="Append"/> and <see cref="WriteSnapshot"/>.
/// </summary>
internal sealed class StateWriter
{
    /// <summary>The most records one transaction takes from the queue.</summary>
    private const int MaxRecordsPerTransaction = 20_000;

    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly IStateStore _store;
    private readonly bool _appendWhenIdle;
    private readonly Task _run;
    private volatile Exception? _failure;

    /// <summary>Writes queued and not yet done; the store is the caller's to use while it is 0.</summary>
    private int _pending;

    public StateWriter(IStateStore store)
    {
        _store = store;
        _appendWhenIdle = !store.FlushesEachCommit;
        _run = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Appends journal records (slices of the caller's buffer, copied when queued): now, when nothing is queued and
    /// commits are cheap, else queued.
    /// </summary>
    public Task Append(IReadOnlyList<ReadOnlyMemory<byte>> records, DateTimeOffset time)
    {
        if (_appendWhenIdle && Volatile.Read(ref _pending) == 0)
        {
            // Every earlier write is done (the writer counts a group down only after writing it): no other thread uses the store.
            if (_failure is { } failure)
            {
                return Task.FromException(failure);
            }

            try
            {
                _store.Append(records, time);
                if (_store.CheckpointDue)
                {
                    // An empty write: the writer checkpoints after it, and appends queue behind it meanwhile.
                    _ = Queue(new Write([], [], time, Snapshot: false));
                }

                return Task.CompletedTask;
            }
#pragma warning disable CA1031 // The failure goes to this write and every later one; the engine stops on it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _failure = e;
                return Task.FromException(e);
            }
        }

        var length = 0;
        foreach (var record in records)
        {
            length += record.Length;
        }

        var data = new byte[length];
        var ends = new int[records.Count];
        var at = 0;
        for (var i = 0; i < records.Count; i++)
        {
            records[i].Span.CopyTo(data.AsSpan(at));
            at += records[i].Length;
            ends[i] = at;
        }

        return Queue(new Write(data, ends, time, Snapshot: false));
    }

    /// <summary>Queues a snapshot.</summary>
    public Task WriteSnapshot(byte[] snapshot, DateTimeOffset time) => Queue(new Write(snapshot, [], time, Snapshot: true));

    /// <summary>Writes what is queued, then stops.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _run;
    }

    private Task Queue(Write write)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(write))
        {
            Interlocked.Decrement(ref _pending);
            write.Done.TrySetException(new InvalidOperationException("the state writer has stopped"));
        }

        return write.Done.Task;
    }

    private void Run()
    {
        var reader = _queue.Reader;
        var group = new List<Write>();
        var records = new List<ReadOnlyMemory<byte>>();
        Write? next = null;
        while (next is not null || reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            if (next is null && !reader.TryRead(out next))
            {
                continue;
            }

            if (next.Snapshot)
            {
                var snapshot = next;
                next = null;
                Execute([snapshot], () => _store.WriteSnapshot(snapshot.Data, snapshot.Time));
                continue;
            }

            // Records queued one after the other share a transaction, up to a snapshot or the size limit.
            group.Clear();
            records.Clear();
            group.Add(next);
            AddRecords(next, records);
            next = null;
            while (records.Count < MaxRecordsPerTransaction && reader.TryRead(out var more))
            {
                if (more.Snapshot)
                {
                    next = more;
                    break;
                }

                group.Add(more);
                AddRecords(more, records);
            }

            var time = group[^1].Time;
            Execute(group, () => _store.Append(records, time));
        }
    }

    private void Execute(IReadOnlyList<Write> writes, Action write)
    {
        if (_failure is null)
        {
            try
            {
                write();
            }
#pragma warning disable CA1031 // The failure goes to every waiting write; the engine stops on it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _failure = e;
            }
        }

        foreach (var w in writes)
        {
            if (_failure is { } failure)
            {
                w.Done.TrySetException(failure);
            }
            else
            {
                w.Done.TrySetResult();
            }
        }

        // After the replies can go: a checkpoint flushes to disk. The writes still count as pending, so appends queue meanwhile.
        if (_failure is null && _store.CheckpointDue)
        {
            try
            {
                _store.Checkpoint();
            }
#pragma warning disable CA1031 // As a failed write: every later write fails with it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _failure = e;
            }
        }

        Interlocked.Add(ref _pending, -writes.Count);
    }

    private static void AddRecords(Write write, List<ReadOnlyMemory<byte>> records)
    {
        var start = 0;
        foreach (var end in write.Ends)
        {
            records.Add(write.Data.AsMemory(start, end - start));
            start = end;
        }
    }

    private sealed record Write(byte[] Data, int[] Ends, DateTimeOffset Time, bool Snapshot)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
