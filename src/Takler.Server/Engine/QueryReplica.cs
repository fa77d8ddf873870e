using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Nodes;
using Takler.Core.Scheduling;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Engine;

/// <summary>
/// A copy of the tree that queries read off the engine's loop, so a `show` of a 100k-task tree never holds the loop.
/// <para>
/// The loop only marks the nodes each batch changes (as the journal does). A query asks for a publication: the loop,
/// at the end of its next batch, writes the state records of the nodes changed since the last publication
/// (<see cref="NodeStateRecord"/>), or a whole snapshot when the shape of the tree changed, and the query applies
/// them to the copy once their commit is durable, under a write lock. Queries run under the read lock, so a query
/// sees the tree exactly as after some whole batch, and never a change before it is durable. The publication comes
/// after every command answered before the query arrived, so a client reads its own acknowledged writes. A long
/// query delays only other queries' updates of the copy, never the loop; with no queries the loop pays nothing
/// but the marking.
/// </para>
/// <para>
/// Before the loop's first batch no command has been applied, so queries read the live tree itself (see
/// <see cref="LoopBegins"/>): a restarted server answers as soon as its tree is read, while the copy is still being
/// read and the scheduling index built.
/// </para>
/// </summary>
internal sealed class QueryReplica : INodeObserver, IDisposable
{
    /// <summary>The ticket of the seed's publication; queries' tickets start at 1.</summary>
    private const long SeedTicket = 0;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly Bunch _live;
    private readonly Func<bool> _requestBatch;
    private readonly ChangedNodes _changed = new();
    private readonly Lock _pendingGate = new();
    private readonly Queue<Publication> _pending = new();
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly SemaphoreSlim _applying = new(1, 1);
    /// <summary>Held (read) by queries of the live tree before the loop begins; <see cref="LoopBegins"/> takes it to write.</summary>
    private readonly ReaderWriterLockSlim _liveReads = new(LockRecursionPolicy.NoRecursion);
    private Bunch _replica = new();
    private bool _structureChanged = true;
    private int _resync;
    private long _requested;
    private long _published;
    private long _applied = -1; // the seed's publication is ticket 0
    private bool _loopBegun;
    private bool _stopped;
    private TaskCompletionSource _publishedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the copy of <paramref name="live"/>; <paramref name="requestBatch"/> makes the loop run a batch (false once it has stopped).</summary>
    public QueryReplica(Bunch live, Func<bool> requestBatch)
    {
        _live = live;
        _requestBatch = requestBatch;
        live.Observer = live.Observer is null ? this : new CompositeNodeObserver(live.Observer, this);
    }

    /// <summary>
    /// Makes the copy, off the loop, from the <paramref name="snapshot"/> a restore read (as stored, see
    /// <see cref="Storage.StoredSnapshot"/>) and the <paramref name="journalRecords"/> it applied after it, instead of
    /// from a snapshot of the live tree at the first query (taking that snapshot would cost the loop about as much as
    /// the copy's read of it). Only when the live tree is exactly that snapshot and those records, before the loop
    /// runs. The copy is read on another core while the server gets ready; queries that arrive before the loop begins
    /// read the live tree and do not wait for it. Returns the copy's read, done or failed (a copy that failed is
    /// rebuilt from the loop at the first query).
    /// </summary>
    public Task Seed(byte[] snapshot, IReadOnlyList<byte[]> journalRecords)
    {
        var host = _live.Host;
        var home = _live.Home;
        var copy = Task.Factory.StartNew(
            () =>
            {
                var bunch = new Bunch(host, 0, home);
                using (var json = Storage.StoredSnapshot.OpenRead(snapshot))
                {
                    SnapshotReader.ReadInto(bunch, json);
                }

                foreach (var record in journalRecords)
                {
                    NodeStateRecord.Apply(bunch, record);
                }

                if (journalRecords.Count > 0)
                {
                    NodeStateRecord.RelinkHeldLimits(bunch);
                }

                return bunch;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning, // a thread of its own: the pool's threads stay free for calls
            TaskScheduler.Default);
        lock (_pendingGate)
        {
            _pending.Clear();
            _pending.Enqueue(new Publication(SeedTicket, [], null, Task.CompletedTask) { Seed = copy });
        }

        // Changes are tracked from the seeded state on.
        _structureChanged = false;
        _changed.ForgetLimitOwners();
        _changed.Clear();
        return copy;
    }

    /// <summary>
    /// Called by the loop before its first batch. Until then no command has been applied (nor answered) and the live
    /// tree changes only in what queries never read (the expressions bound and the scheduling index built beside it,
    /// <see cref="SchedulerEngine.PrepareScheduling"/>), so queries read the live tree: a restarted server answers as
    /// soon as its tree is read. Waits for such queries to end; every later query reads the copy.
    /// </summary>
    public void LoopBegins()
    {
        _liveReads.EnterWriteLock();
        try
        {
            Volatile.Write(ref _loopBegun, true);
        }
        finally
        {
            _liveReads.ExitWriteLock();
        }
    }

    /// <summary>Whether <see cref="LoopBegins"/> waits for queries of the live tree to end (for tests).</summary>
    internal bool LoopWaitsForLiveReads => _liveReads.WaitingWriteCount > 0;

    /// <summary>Publications made so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>
    /// At the end of a batch: publishes the changes since the last publication if a query asked for them. The copy
    /// applies them once <paramref name="durable"/> completes successfully (a failed commit stops the engine, and its
    /// changes are never shown). A <paramref name="snapshot"/> of the live tree the journal just took is used instead
    /// of taking another. Loop only.
    /// </summary>
    public void Publish(Task durable, byte[]? snapshot = null)
    {
        var requested = Interlocked.Read(ref _requested);
        if (requested == Interlocked.Read(ref _published))
        {
            if (snapshot is not null && Volatile.Read(ref _resync) == 0)
            {
                // No query waits, but the journal just serialized the whole tree: queue that snapshot (it supersedes
                // whatever is queued) and track changes from it, so the next query needs no snapshot of its own (one
                // of a 100k-task tree takes the loop about half a second).
                lock (_pendingGate)
                {
                    _pending.Clear();
                    _pending.Enqueue(new Publication(requested, snapshot, null, durable));
                }

                _structureChanged = false;
                _changed.ForgetLimitOwners();
                _changed.Clear();
            }

            return;
        }

        if (Interlocked.Exchange(ref _resync, 0) != 0)
        {
            _structureChanged = true;
        }

        Publication publication;
        if (_structureChanged || snapshot is not null)
        {
            publication = new Publication(requested, snapshot ?? SnapshotWriter.ToBytes(_live), null, durable);
            _structureChanged = false;
            _changed.ForgetLimitOwners();
        }
        else
        {
            _changed.AddLimitOwners(_live);
            _buffer.ResetWrittenCount();
            var ends = new int[_changed.InOrder.Count];
            var n = 0;
            using (var w = new Utf8JsonWriter(_buffer, WriterOptions))
            {
                foreach (var node in _changed.InOrder)
                {
                    if (node.Bunch != _live)
                    {
                        continue; // left the tree: that change was a shape change, published as a snapshot
                    }

                    NodeStateRecord.Write(node, w);
                    w.Flush();
                    ends[n++] = _buffer.WrittenCount;
                    w.Reset();
                }
            }

            publication = new Publication(requested, _buffer.WrittenSpan.ToArray(), ends[..n], durable);
        }

        _changed.Clear();
        lock (_pendingGate)
        {
            _pending.Enqueue(publication);
        }

        Interlocked.Exchange(ref _published, requested);
        Interlocked.Exchange(ref _publishedSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>
    /// Runs <paramref name="query"/> on the copy, off the loop, as of a batch that ended after this call; the query
    /// must only read.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<Bunch, T> query, CancellationToken cancellationToken)
    {
        if (!Volatile.Read(ref _loopBegun))
        {
            // Off the caller's I/O continuation: a large query (show of 100k tasks) takes a while.
            await Task.Yield();
            if (TryReadLiveBeforeLoop(query, out var answer))
            {
                return answer;
            }
        }

        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _resync) != 0)
        {
            // A record did not fit the copy (a change that did not announce itself as one of shape): once more, with
            // the snapshot the loop now publishes.
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        }

        _lock.EnterReadLock();
        try
        {
            return query(_replica);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Runs <paramref name="query"/> on the live tree if the loop has not begun (see <see cref="LoopBegins"/>).</summary>
    private bool TryReadLiveBeforeLoop<T>(Func<Bunch, T> query, out T answer)
    {
        _liveReads.EnterReadLock();
        try
        {
            if (_loopBegun)
            {
                answer = default!;
                return false;
            }

            answer = query(_live);
            return true;
        }
        finally
        {
            _liveReads.ExitReadLock();
        }
    }

    /// <summary>Asks the loop for a publication and applies everything published up to it.</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var ticket = Interlocked.Increment(ref _requested);
        if (!_requestBatch())
        {
            throw Stopping();
        }

        while (Published < ticket)
        {
            var signal = Volatile.Read(ref _publishedSignal);
            if (Published >= ticket)
            {
                break;
            }

            if (Volatile.Read(ref _stopped))
            {
                throw Stopping();
            }

            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        // Off the caller's I/O continuation: a large query (show of 100k tasks) takes a while.
        await Task.Yield();
        await ApplyPublishedAsync(ticket, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops: later queries fail.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _stopped, true);
        _publishedSignal.TrySetResult();
    }

    // After a change of shape the next publication is a snapshot: nothing to mark until then.
    void INodeObserver.StatusChanged(Node node, NodeStatus old)
    {
        if (!_structureChanged)
        {
            _changed.MarkStatusChange(node);
        }
    }

    void INodeObserver.AttributeChanged(Node node)
    {
        if (!_structureChanged)
        {
            _changed.Mark(node);
        }
    }

    void INodeObserver.TreeChanged(NodeContainer? container)
    {
        _structureChanged = true;
        _changed.ForgetLimitOwners();
    }

    /// <summary>Applies the publications up to (at least) <paramref name="ticket"/>, once durable; one query at a time.</summary>
    private async Task ApplyPublishedAsync(long ticket, CancellationToken cancellationToken)
    {
        if (Interlocked.Read(ref _applied) >= ticket)
        {
            return;
        }

        await _applying.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<Publication> batch;
            lock (_pendingGate)
            {
                batch = [.. _pending];
                _pending.Clear();
            }

            if (batch.Count == 0)
            {
                return; // another query applied them
            }

            var seeded = await SeededCopyAsync(batch).ConfigureAwait(false);

            // Commits complete in order: the last one's durability covers the ones before it.
            try
            {
                await batch[^1].Durable.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Volatile.Write(ref _stopped, true);
                throw Stopping();
            }

            _lock.EnterWriteLock();
            try
            {
                foreach (var publication in batch)
                {
                    if (publication.Seed is null)
                    {
                        Apply(publication);
                    }
                    else if (seeded is not null)
                    {
                        seeded.Port = _live.Port; // assigned once listening, after the seed started
                        _replica = seeded;
                    }
                }
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            Interlocked.Exchange(ref _applied, batch[^1].Ticket);
        }
        finally
        {
            _applying.Release();
        }
    }

    /// <summary>
    /// The copy a <see cref="Seed"/> in <paramref name="batch"/> built; null when there is none, or when building it
    /// failed: then the loop is asked for a snapshot instead (and the records published after the seed fail to
    /// apply to the old copy, which asks for the same).
    /// </summary>
    private async Task<Bunch?> SeededCopyAsync(List<Publication> batch)
    {
        if (batch.FindLast(p => p.Seed is not null)?.Seed is not { } seed)
        {
            return null;
        }

        try
        {
            return await seed.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any failure: the copy is rebuilt from a snapshot of the live tree.
        catch (Exception)
#pragma warning restore CA1031
        {
            Interlocked.Exchange(ref _resync, 1);
            return null;
        }
    }

    private void Apply(Publication publication)
    {
        if (publication.Ends is null)
        {
            _replica = SnapshotReader.ReadBunch(publication.Bytes);
            return;
        }

        var start = 0;
        try
        {
            foreach (var end in publication.Ends)
            {
                NodeStateRecord.Apply(_replica, publication.Bytes.AsMemory(start, end - start));
                start = end;
            }
        }
        catch (Core.TaklerException)
        {
            // The copy's shape drifted (a change that did not announce itself as one): ask the loop for a snapshot.
            Interlocked.Exchange(ref _resync, 1);
        }
    }

    private static Core.TaklerException Stopping() => new(Core.TaklerErrorCode.InternalError, "the server is stopping");

    private sealed record Publication(long Ticket, byte[] Bytes, int[]? Ends, Task Durable)
    {
        /// <summary>A copy being built from a restore's bytes (<see cref="Seed"/>), instead of <see cref="Bytes"/>.</summary>
        public Task<Bunch>? Seed { get; init; }
    }
}
