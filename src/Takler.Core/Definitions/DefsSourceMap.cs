using Takler.Core.Nodes;

namespace Takler.Core.Definitions;

/// <summary>What a recorded position belongs to, besides nodes.</summary>
internal enum SourceItemKind
{
    TriggerPart,
    CompletePart,
    InLimit,
    Kept,
}

/// <summary>
/// Where the reader found things, for the checker's messages. Nodes are recorded in the order they are read, which is
/// the tree's pre-order, so the checker walking the tree finds each one by a running index: no hashing of 100,000
/// nodes. A node's expression parts, in-limits and kept attributes hang off it in chains, in order. A lookup by object
/// (<see cref="Find"/>) builds a dictionary the first time it is needed.
/// </summary>
internal sealed class DefsSourceMap
{
    // Entries live in fixed-size chunks, small enough to stay off the large object heap: growing never copies, and
    // never allocates a large array (which can set off a full collection in the middle of a load).
    private const int ChunkBits = 10;
    private const int ChunkSize = 1 << ChunkBits;
    private const int ChunkMask = ChunkSize - 1;

    private readonly List<NodeSource[]> _nodes = [];
    private readonly List<ItemSource[]> _items = [];
    private int _itemCount;
    private Dictionary<object, SourcePosition>? _lookup;

    /// <summary>How many nodes were recorded.</summary>
    public int NodeCount { get; private set; }

    /// <summary>Records a node; returns its index (its place in pre-order).</summary>
    public int AddNode(Node node, int line, int column)
    {
        if ((NodeCount & ChunkMask) == 0)
        {
            _nodes.Add(new NodeSource[ChunkSize]);
        }

        NodeEntry(NodeCount) = new NodeSource { Node = node, Line = line, Column = column };
        _lookup = null;
        return NodeCount++;
    }

    /// <summary>Records an item of node <paramref name="nodeIndex"/>, after the earlier ones of the same kind.</summary>
    public void AddItem(int nodeIndex, SourceItemKind kind, object item, int line, int column)
    {
        if ((_itemCount & ChunkMask) == 0)
        {
            _items.Add(new ItemSource[ChunkSize]);
        }

        // Chains link 1-based indexes so that a zeroed entry means "none".
        var id = ++_itemCount;
        ItemEntry(id) = new ItemSource { Item = item, Line = line, Column = column };
        ref var head = ref Head(ref NodeEntry(nodeIndex), kind);
        if (head == 0)
        {
            head = id;
        }
        else
        {
            var last = head;
            while (ItemEntry(last).Next != 0)
            {
                last = ItemEntry(last).Next;
            }

            ItemEntry(last).Next = id;
        }

        _lookup = null;
    }

    /// <summary>The node recorded at <paramref name="index"/>, or null.</summary>
    public Node? NodeAt(int index) => index < NodeCount ? NodeEntry(index).Node : null;

    /// <summary>The position of node <paramref name="index"/>.</summary>
    public SourcePosition NodePosition(int index) => new(NodeEntry(index).Line, NodeEntry(index).Column);

    /// <summary>The position of <paramref name="item"/> in the chain of <paramref name="kind"/> of node <paramref name="index"/>.</summary>
    public SourcePosition? ItemPosition(int index, SourceItemKind kind, object item)
    {
        for (var id = Head(ref NodeEntry(index), kind); id != 0; id = ItemEntry(id).Next)
        {
            ref var entry = ref ItemEntry(id);
            if (ReferenceEquals(entry.Item, item))
            {
                return new SourcePosition(entry.Line, entry.Column);
            }
        }

        return null;
    }

    /// <summary>Where a node or item was read, or null.</summary>
    public SourcePosition? Find(object item)
    {
        if (_lookup is null)
        {
            var lookup = new Dictionary<object, SourcePosition>(NodeCount + _itemCount, ReferenceEqualityComparer.Instance);
            for (var i = 0; i < NodeCount; i++)
            {
                ref var node = ref NodeEntry(i);
                lookup[node.Node] = new SourcePosition(node.Line, node.Column);
            }

            for (var id = 1; id <= _itemCount; id++)
            {
                ref var entry = ref ItemEntry(id);
                lookup[entry.Item] = new SourcePosition(entry.Line, entry.Column);
            }

            _lookup = lookup;
        }

        return _lookup.TryGetValue(item, out var position) ? position : null;
    }

    private ref NodeSource NodeEntry(int index) => ref _nodes[index >> ChunkBits][index & ChunkMask];

    private ref ItemSource ItemEntry(int id) => ref _items[(id - 1) >> ChunkBits][(id - 1) & ChunkMask];

    private static ref int Head(ref NodeSource node, SourceItemKind kind)
    {
        switch (kind)
        {
            case SourceItemKind.TriggerPart:
                return ref node.Triggers;
            case SourceItemKind.CompletePart:
                return ref node.Completes;
            case SourceItemKind.InLimit:
                return ref node.InLimits;
            default:
                return ref node.Kept;
        }
    }

    private struct NodeSource
    {
        public Node Node;
        public int Line;
        public int Column;
        public int Triggers;
        public int Completes;
        public int InLimits;
        public int Kept;
    }

    private struct ItemSource
    {
        public object Item;
        public int Line;
        public int Column;
        public int Next;
    }
}
