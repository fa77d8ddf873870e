using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Nodes;
using Takler.Core.Scheduling;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Engine;

/// <summary>
/// A copy of the tree that queries read off the engine's loop, so a `show` of a 100k-task tree never holds the loop.
/// <para>
/// The loop publishes what each batch changed, as it journals it: the state records of the changed nodes
/// (<see cref="NodeStateRecord"/>), or a whole snapshot when the shape of the tree changed. A background applier
/// applies each publication once its commit is durable, under a write lock; queries run under the read lock, so a
/// query sees the tree exactly as after some whole publication, never half of one. A query first waits for every
/// publication made before it arrived, so a client reads its own acknowledged writes. A long query delays only the
/// applier, never the loop.
/// </para>
/// </summary>
internal sealed class QueryReplica : INodeObserver, IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly Bunch _live;
    private readonly HashSet<Node> _dirty = new(ReferenceEqualityComparer.Instance);
    private readonly List<Node> _order = [];
    private readonly Channel<Publication> _publications = Channel.CreateUnbounded<Publication>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Task _applier;
    private Bunch _replica = new();
    private bool _structureChanged = true;
    private int _resync;
    private long _published;
    private long _applied;
    private TaskCompletionSource _appliedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public QueryReplica(Bunch live)
    {
        _live = live;
        live.Observer = live.Observer is null ? this : new CompositeNodeObserver(live.Observer, this);
        _applier = Task.Run(ApplyLoopAsync);
    }

    /// <summary>Publications made so far (one per batch that changed something).</summary>
    public long Published => Volatile.Read(ref _published);

    /// <summary>Publications applied to the copy so far.</summary>
    public long Applied => Volatile.Read(ref _applied);

    /// <summary>
    /// Publishes the changes since the last publication; the copy applies them once <paramref name="durable"/>
    /// completes successfully (a failed commit stops the engine, and its changes are never shown). Loop only.
    /// </summary>
    public void Publish(Task durable)
    {
        if (Interlocked.Exchange(ref _resync, 0) != 0)
        {
            _structureChanged = true;
        }

        Publication publication;
        if (_structureChanged)
        {
            publication = new Publication(SnapshotWriter.ToBytes(_live), null, durable);
            _structureChanged = false;
        }
        else if (_order.Count > 0)
        {
            _buffer.ResetWrittenCount();
            var ends = new int[_order.Count];
            var n = 0;
            using (var w = new Utf8JsonWriter(_buffer, WriterOptions))
            {
                foreach (var node in _order)
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

            publication = new Publication(_buffer.WrittenSpan.ToArray(), ends[..n], durable);
        }
        else
        {
            return;
        }

        _dirty.Clear();
        _order.Clear();
        _publications.Writer.TryWrite(publication);
        Interlocked.Increment(ref _published);
    }

    /// <summary>
    /// Runs <paramref name="query"/> on the copy, off the loop, once it holds everything published before this call;
    /// the query must only read.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<Bunch, T> query, CancellationToken cancellationToken)
    {
        var target = Math.Max(1, Published);
        while (Applied < target)
        {
            var signal = Volatile.Read(ref _appliedSignal);
            if (Applied >= target)
            {
                break;
            }

            if (_applier.IsCompleted)
            {
                throw new Core.TaklerException(Core.TaklerErrorCode.InternalError, "the server is stopping");
            }

            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        // A large query (show of 100k tasks) takes a while: not on the caller's I/O continuation.
        return await Task.Run(
            () =>
            {
                _lock.EnterReadLock();
                try
                {
                    return query(_replica);
                }
                finally
                {
                    _lock.ExitReadLock();
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the applier.</summary>
    public void Dispose()
    {
        _publications.Writer.TryComplete();
        _appliedSignal.TrySetResult();
    }

    void INodeObserver.StatusChanged(Node node, NodeStatus old) => Mark(node);

    void INodeObserver.AttributeChanged(Node node) => Mark(node);

    void INodeObserver.TreeChanged(NodeContainer? container) => _structureChanged = true;

    private void Mark(Node node)
    {
        if (!_structureChanged && _dirty.Add(node))
        {
            _order.Add(node);
        }
    }

    private async Task ApplyLoopAsync()
    {
        var reader = _publications.Reader;
        var pending = new List<Publication>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            pending.Clear();
            while (pending.Count < 256 && reader.TryRead(out var p))
            {
                pending.Add(p);
            }

            // Commits complete in order; waiting for the last one covers the ones before it.
            try
            {
                await pending[^1].Durable.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failed commit stops the engine; what it carried is never shown.
            catch (Exception)
#pragma warning restore CA1031
            {
                _publications.Writer.TryComplete();
                break;
            }

            _lock.EnterWriteLock();
            try
            {
                foreach (var publication in pending)
                {
                    Apply(publication);
                }
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            Interlocked.Add(ref _applied, pending.Count);
            Interlocked.Exchange(ref _appliedSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        _appliedSignal.TrySetResult();
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

    private sealed record Publication(byte[] Bytes, int[]? Ends, Task Durable);
}
