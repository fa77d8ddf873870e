using Takler.Core;
using Takler.Core.Nodes;

namespace Takler.Server.Engine;

/// <summary>
/// The open watches, indexed by node so that a status change touches only the watches of that node: the cost of a
/// batch is its changes, not the number of waiters. Used on the engine's loop only.
/// </summary>
internal sealed class StatusWatchers : INodeObserver
{
    private readonly Dictionary<Node, List<StatusWatch>> _byNode = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<StatusWatch> _watches = [];
    private readonly HashSet<StatusWatch> _changed = [];
    private bool _treeChanged;

    /// <summary>Open watches.</summary>
    public int Count => _watches.Count;

    /// <summary>Opens a watch whose nodes are bound; its first updates (every node's status) go out after this batch.</summary>
    public void Add(StatusWatch watch)
    {
        if (_watches.Add(watch))
        {
            Index(watch);
            _changed.Add(watch);
        }
    }

    /// <summary>Closes a watch (the call ended); nothing when it is already closed.</summary>
    public void Remove(StatusWatch watch)
    {
        if (_watches.Remove(watch))
        {
            Unindex(watch);
        }

        _changed.Remove(watch);
    }

    /// <summary>
    /// After a batch: the updates of the watches whose nodes changed, with whether each watch is finished (finished
    /// watches are closed). Null when there is nothing to send.
    /// </summary>
    public List<(StatusWatch Watch, List<StatusUpdate> Updates, bool Finished)>? Collect(Bunch bunch)
    {
        if (_treeChanged)
        {
            _treeChanged = false;
            Rebind(bunch);
        }

        if (_changed.Count == 0)
        {
            return null;
        }

        var result = new List<(StatusWatch, List<StatusUpdate>, bool)>(_changed.Count);
        foreach (var watch in _changed)
        {
            Unindex(watch);
            var updates = watch.Collect();
            if (watch.IsFinished)
            {
                _watches.Remove(watch);
            }
            else
            {
                Index(watch);
            }

            if (updates.Count > 0 || watch.IsFinished)
            {
                result.Add((watch, updates, watch.IsFinished));
            }
        }

        _changed.Clear();
        return result;
    }

    void INodeObserver.StatusChanged(Node node, NodeStatus old)
    {
        if (_byNode.Count > 0 && _byNode.TryGetValue(node, out var watches))
        {
            foreach (var watch in watches)
            {
                _changed.Add(watch);
            }
        }
    }

    void INodeObserver.AttributeChanged(Node node)
    {
    }

    void INodeObserver.TreeChanged(NodeContainer? container)
    {
        if (_watches.Count > 0)
        {
            _treeChanged = true;
        }
    }

    /// <summary>Nodes were added or removed: a replaced node is watched under its new instance, a deleted one ends its watch.</summary>
    private void Rebind(Bunch bunch)
    {
        _byNode.Clear();
        foreach (var watch in _watches.ToList())
        {
            try
            {
                watch.Bind(bunch);
                Index(watch);
                _changed.Add(watch);
            }
            catch (TaklerException e)
            {
                watch.Fail(e);
                _watches.Remove(watch);
                _changed.Remove(watch);
            }
        }
    }

    private void Index(StatusWatch watch)
    {
        foreach (var node in watch.WatchedNodes)
        {
            if (!_byNode.TryGetValue(node, out var list))
            {
                _byNode[node] = list = [];
            }

            list.Add(watch);
        }
    }

    private void Unindex(StatusWatch watch)
    {
        foreach (var node in watch.WatchedNodes)
        {
            if (_byNode.TryGetValue(node, out var list) && list.Remove(watch) && list.Count == 0)
            {
                _byNode.Remove(node);
            }
        }
    }
}
