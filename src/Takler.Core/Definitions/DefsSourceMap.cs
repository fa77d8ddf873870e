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
    private NodeSource[] _nodes = new NodeSource[64];
    private ItemSource[] _items = new ItemSource[64];
    private int _itemCount;
    private Dictionary<object, SourcePosition>? _lookup;

    /// <summary>How many nodes were recorded.</summary>
    public int NodeCount { get; private set; }

    /// <summary>Records a node; returns its index (its place in pre-order).</summary>
    public int AddNode(Node node, int line, int column)
    {
        if (NodeCount == _nodes.Length)
        {
            Array.Resize(ref _nodes, _nodes.Length * 2);
        }

        _nodes[NodeCount] = new NodeSource { Node = node, Line = line, Column = column };
        _lookup = null;
        return NodeCount++;
    }

    /// <summary>Records an item of node <paramref name="nodeIndex"/>, after the earlier ones of the same kind.</summary>
    public void AddItem(int nodeIndex, SourceItemKind kind, object item, int line, int column)
    {
        if (_itemCount == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        // Chains link 1-based indexes so that a zeroed entry means "none".
        var id = ++_itemCount;
        _items[id - 1] = new ItemSource { Item = item, Line = line, Column = column };
        ref var head = ref Head(ref _nodes[nodeIndex], kind);
        if (head == 0)
        {
            head = id;
        }
        else
        {
            var last = head;
            while (_items[last - 1].Next != 0)
            {
                last = _items[last - 1].Next;
            }

            _items[last - 1].Next = id;
        }

        _lookup = null;
    }

    /// <summary>The node recorded at <paramref name="index"/>, or null.</summary>
    public Node? NodeAt(int index) => index < NodeCount ? _nodes[index].Node : null;

    /// <summary>The position of node <paramref name="index"/>.</summary>
    public SourcePosition NodePosition(int index) => new(_nodes[index].Line, _nodes[index].Column);

    /// <summary>The position of <paramref name="item"/> in the chain of <paramref name="kind"/> of node <paramref name="index"/>.</summary>
    public SourcePosition? ItemPosition(int index, SourceItemKind kind, object item)
    {
        for (var id = Head(ref _nodes[index], kind); id != 0; id = _items[id - 1].Next)
        {
            if (ReferenceEquals(_items[id - 1].Item, item))
            {
                return new SourcePosition(_items[id - 1].Line, _items[id - 1].Column);
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
                lookup[_nodes[i].Node] = new SourcePosition(_nodes[i].Line, _nodes[i].Column);
            }

            for (var i = 0; i < _itemCount; i++)
            {
                lookup[_items[i].Item] = new SourcePosition(_items[i].Line, _items[i].Column);
            }

            _lookup = lookup;
        }

        return _lookup.TryGetValue(item, out var position) ? position : null;
    }

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
