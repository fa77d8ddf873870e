using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Nodes;
using Takler.Server.Engine;
using Takler.Core.Scheduling;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Storage;

/// <summary>
/// The engine's side of durable state. As an observer of the bunch it collects the nodes whose state changed since
/// the last commit; <see cref="Commit"/> writes their <see cref="NodeStateRecord"/>s in one transaction, or a whole
/// snapshot when the shape of the tree changed (load, delete, replace), when most of the tree changed (begin), when
/// asked (checkpoint) or when the <see cref="SnapshotPolicy"/> says so. A task's status change also changes the
/// limits its in-limits name, so the nodes holding those limits are recorded with it.
/// <para>
/// Until <see cref="Start"/> every commit is written before <see cref="Commit"/> returns; after it, commits are
/// serialized on the caller's thread (the state as of the batch) and written in order by a <see cref="StateWriter"/>
/// (on the caller's thread too when nothing is queued and commits do not flush to disk), and the task
/// <see cref="Commit"/> returns completes when the commit is durable.
/// </para>
/// Not thread-safe: the engine's loop calls it.
/// </summary>
internal sealed class StateJournal : INodeObserver
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly Bunch _bunch;
    private readonly IStateStore _store;
    private readonly TimeProvider _time;
    private readonly SnapshotPolicy _policy;
    private readonly ChangedNodes _changed = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly List<ReadOnlyMemory<byte>> _records = [];
    private readonly List<int> _ends = [];
    private bool _structureChanged;
    private bool _snapshotRequested;
    private int _nodeCount;
    private DateTimeOffset _lastSnapshot;
    private long _recordsSinceSnapshot;
    private long _lastSnapshotTicks;
    private StateWriter? _writer;
    private Task _last = Task.CompletedTask;
    private byte[]? _lastSnapshotBytes;
    private int _lastSnapshotSize;

    public StateJournal(Bunch bunch, IStateStore store, TimeProvider time, SnapshotPolicy policy)
    {
        _bunch = bunch;
        _store = store;
        _time = time;
        _policy = policy;
        _lastSnapshot = store.LastSnapshotAt ?? time.GetUtcNow();
        _recordsSinceSnapshot = store.RecordsSinceSnapshot;
        _lastSnapshotTicks = store.LastSnapshotAt?.UtcTicks ?? 0;
        bunch.Observer = bunch.Observer is null ? this : new CompositeNodeObserver(bunch.Observer, this);
    }

    /// <summary>The store written to.</summary>
    public IStateStore Store => _store;

    /// <summary>Whether anything waits to be committed.</summary>
    public bool HasChanges => _changed.InOrder.Count > 0 || _structureChanged || _snapshotRequested;

    /// <summary>Snapshots written since start.</summary>
    public long Snapshots { get; private set; }

    /// <summary>Journal records written since start.</summary>
    public long Records { get; private set; }

    /// <summary>Journal records committed (or queued) since the latest snapshot.</summary>
    public long RecordsSinceSnapshot => _recordsSinceSnapshot;

    /// <summary>When the latest durable snapshot was taken; null when there is none.</summary>
    public DateTimeOffset? LastSnapshotAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastSnapshotTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>The snapshot the last commit wrote, once (for the query replica, which then need not take its own).</summary>
    public byte[]? TakeSnapshot()
    {
        var bytes = _lastSnapshotBytes;
        _lastSnapshotBytes = null;
        return bytes;
    }

    /// <summary>Makes the next commit a snapshot (checkpoint).</summary>
    public void RequestSnapshot() => _snapshotRequested = true;

    /// <summary>Writes a snapshot now, before returning (start-up; before <see cref="Start"/>).</summary>
    public void Snapshot()
    {
        if (_writer is not null)
        {
            throw new InvalidOperationException("the journal writes in the background: request a snapshot instead");
        }

        WriteSnapshot(_time.GetUtcNow()).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Starts from the store's latest snapshot instead of writing one (start-up, before <see cref="Start"/>, when the
    /// tree was restored from that snapshot alone and nothing else was added).
    /// </summary>
    public void AdoptLatestSnapshot()
    {
        if (_writer is not null)
        {
            throw new InvalidOperationException("the journal writes in the background already");
        }

        _nodeCount = CountNodes();
        _structureChanged = false;
        _snapshotRequested = false;
        Clear();
    }

    /// <summary>From now on, commits are written by a background writer, in order.</summary>
    public void Start() => _writer ??= new StateWriter(_store);

    /// <summary>Writes what is queued and stops the background writer; the store can be closed after.</summary>
    public async Task DrainAsync()
    {
        if (_writer is { } writer)
        {
            await writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Commits what changed since the last commit, in one transaction. The task completes when it is durable (and
    /// every earlier commit too); with nothing changed, it is the last commit's.
    /// </summary>
    public Task Commit()
    {
        if (!HasChanges)
        {
            return _last;
        }

        var now = _time.GetUtcNow();
        if (_structureChanged || _snapshotRequested ||
            _changed.InOrder.Count > Math.Max(1_000, _nodeCount / 2) ||
            _recordsSinceSnapshot + _changed.InOrder.Count > _policy.EveryRecords ||
            (now - _lastSnapshot >= _policy.Every && _recordsSinceSnapshot > 0))
        {
            return _last = WriteSnapshot(now);
        }

        try
        {
            _changed.AddLimitOwners(_bunch);
            WriteRecords();
            Records += _records.Count;
            _recordsSinceSnapshot += _records.Count;
            if (_writer is { } writer)
            {
                return _last = writer.Append(_records, now);
            }

            _store.Append(_records, now);
            return _last = Task.CompletedTask;
        }
        catch (Exception e) when (_writer is null)
        {
            return _last = Task.FromException(e);
        }
        finally
        {
            Clear();
        }
    }

    void INodeObserver.StatusChanged(Node node, NodeStatus old) => _changed.MarkStatusChange(node);

    void INodeObserver.AttributeChanged(Node node) => _changed.Mark(node);

    void INodeObserver.TreeChanged(NodeContainer? container)
    {
        _structureChanged = true;
        _changed.ForgetLimitOwners();
    }

    private Task WriteSnapshot(DateTimeOffset now)
    {
        try
        {
            // The tree rarely shrinks much between snapshots: the last size, plus some, is the buffer to start with.
            var bytes = SnapshotWriter.ToBytes(_bunch, sizeHint: _lastSnapshotSize + (_lastSnapshotSize / 8));
            _lastSnapshotSize = bytes.Length;
            _lastSnapshotBytes = bytes;
            Snapshots++;
            _lastSnapshot = now;
            _recordsSinceSnapshot = 0;
            _nodeCount = CountNodes();

            if (_writer is { } writer)
            {
                return writer.WriteSnapshot(bytes, now).ContinueWith(
                    t =>
                    {
                        if (t.IsCompletedSuccessfully)
                        {
                            Interlocked.Exchange(ref _lastSnapshotTicks, now.UtcTicks);
                        }

                        return t;
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default).Unwrap();
            }

            _store.WriteSnapshot(bytes, now);
            Interlocked.Exchange(ref _lastSnapshotTicks, now.UtcTicks);
            return Task.CompletedTask;
        }
        catch (Exception e) when (_writer is null)
        {
            return Task.FromException(e);
        }
        finally
        {
            _structureChanged = false;
            _snapshotRequested = false;
            Clear();
        }
    }

    private void Clear()
    {
        _changed.Clear();
        _records.Clear();
        _ends.Clear();
        _buffer.ResetWrittenCount();
    }

    private void WriteRecords()
    {
        using (var w = new Utf8JsonWriter(_buffer, WriterOptions))
        {
            foreach (var node in _changed.InOrder)
            {
                if (node.Bunch != _bunch)
                {
                    continue; // left the tree in this batch: the snapshot that change forces has it.
                }

                NodeStateRecord.Write(node, w);
                w.Flush();
                _ends.Add(_buffer.WrittenCount);
                w.Reset();
            }
        }

        var written = _buffer.WrittenMemory;
        var start = 0;
        foreach (var end in _ends)
        {
            _records.Add(written[start..end]);
            start = end;
        }
    }

    private int CountNodes()
    {
        var count = 0;
        foreach (var flow in _bunch.Flows)
        {
            count += CountNodes(flow);
        }

        return count;
    }

    private static int CountNodes(Node root)
    {
        var count = 1;
        foreach (var child in root.Children)
        {
            count += CountNodes(child);
        }

        return count;
    }
}
