using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Takler.Core.Attributes;
using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Nodes;
using Takler.Core.Scheduling;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Storage;

/// <summary>
/// The engine's side of durable state. As an observer of the bunch it collects the nodes whose state changed since
/// the last commit; <see cref="Commit"/> writes their <see cref="NodeStateRecord"/>s in one transaction, or a whole
/// snapshot when the shape of the tree changed (load, delete, replace), when most of the tree changed (begin), when
/// asked (checkpoint) or when the <see cref="SnapshotPolicy"/> says so. A task's status change also changes the
/// limits its in-limits name, so the nodes holding those limits are recorded with it.
/// Not thread-safe: the engine's loop calls it.
/// </summary>
internal sealed class StateJournal : INodeObserver
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly Bunch _bunch;
    private readonly IStateStore _store;
    private readonly TimeProvider _time;
    private readonly SnapshotPolicy _policy;
    private readonly HashSet<Node> _dirty = new(ReferenceEqualityComparer.Instance);
    private readonly List<Node> _order = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly List<ReadOnlyMemory<byte>> _records = [];
    private readonly List<int> _ends = [];
    private Dictionary<Limit, Node>? _limitOwners;
    private bool _structureChanged;
    private bool _snapshotRequested;
    private int _nodeCount;
    private DateTimeOffset _lastSnapshot;

    public StateJournal(Bunch bunch, IStateStore store, TimeProvider time, SnapshotPolicy policy)
    {
        _bunch = bunch;
        _store = store;
        _time = time;
        _policy = policy;
        _lastSnapshot = store.LastSnapshotAt ?? time.GetUtcNow();
        bunch.Observer = bunch.Observer is null ? this : new CompositeNodeObserver(bunch.Observer, this);
    }

    /// <summary>The store written to.</summary>
    public IStateStore Store => _store;

    /// <summary>Whether anything waits to be committed.</summary>
    public bool HasChanges => _order.Count > 0 || _structureChanged || _snapshotRequested;

    /// <summary>Snapshots written since start.</summary>
    public long Snapshots { get; private set; }

    /// <summary>Journal records written since start.</summary>
    public long Records { get; private set; }

    /// <summary>Makes the next commit a snapshot (checkpoint).</summary>
    public void RequestSnapshot() => _snapshotRequested = true;

    /// <summary>Writes a snapshot now (start-up, checkpoint).</summary>
    public void Snapshot() => WriteSnapshot(_time.GetUtcNow());

    /// <summary>Commits what changed since the last commit, in one transaction; nothing when nothing changed.</summary>
    public void Commit()
    {
        if (!HasChanges)
        {
            return;
        }

        var now = _time.GetUtcNow();
        if (_structureChanged || _snapshotRequested ||
            _order.Count > Math.Max(1_000, _nodeCount / 2) ||
            _store.RecordsSinceSnapshot + _order.Count > _policy.EveryRecords ||
            (now - _lastSnapshot >= _policy.Every && _store.RecordsSinceSnapshot > 0))
        {
            WriteSnapshot(now);
            return;
        }

        try
        {
            AddLimitHolders();
            WriteRecords();
            _store.Append(_records, now);
            Records += _records.Count;
        }
        finally
        {
            Clear();
        }
    }

    void INodeObserver.StatusChanged(Node node, NodeStatus old) => Mark(node);

    void INodeObserver.AttributeChanged(Node node) => Mark(node);

    void INodeObserver.TreeChanged(NodeContainer? container)
    {
        _structureChanged = true;
        _limitOwners = null;
    }

    private void Mark(Node node)
    {
        if (_dirty.Add(node))
        {
            _order.Add(node);
        }
    }

    private void WriteSnapshot(DateTimeOffset now)
    {
        try
        {
            _store.WriteSnapshot(SnapshotWriter.ToBytes(_bunch), now);
            Snapshots++;
            _lastSnapshot = now;
            _nodeCount = 0;
            foreach (var flow in _bunch.Flows)
            {
                _nodeCount += CountNodes(flow);
            }
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
        _dirty.Clear();
        _order.Clear();
        _records.Clear();
        _ends.Clear();
        _buffer.ResetWrittenCount();
    }

    /// <summary>Adds the owners of the limits that the changed tasks' in-limits name (their usage may have changed).</summary>
    private void AddLimitHolders()
    {
        _limitOwners ??= LimitOwners();
        if (_limitOwners.Count == 0)
        {
            return;
        }

        var count = _order.Count;
        for (var i = 0; i < count; i++)
        {
            if (_order[i] is not TaskNode task)
            {
                continue;
            }

            foreach (var (inLimit, declarer) in task.ApplicableInLimits())
            {
                if (task.FindLimitFor(inLimit, declarer) is { } limit && _limitOwners.TryGetValue(limit, out var owner))
                {
                    Mark(owner);
                }
            }
        }
    }

    private Dictionary<Limit, Node> LimitOwners()
    {
        var owners = new Dictionary<Limit, Node>(ReferenceEqualityComparer.Instance);
        foreach (var node in _bunch.AllNodes())
        {
            foreach (var limit in node.Limits)
            {
                owners[limit] = node;
            }
        }

        return owners;
    }

    private void WriteRecords()
    {
        using (var w = new Utf8JsonWriter(_buffer, WriterOptions))
        {
            foreach (var node in _order)
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
