using System.Threading.Channels;
using Takler.Core;
using Takler.Core.Nodes;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Engine;

/// <summary>
/// One client's wait for nodes to reach one of some statuses. Its nodes are bound and its updates collected on the
/// engine's loop only; the updates reach the waiting call through <see cref="Updates"/>. A node that reaches a wanted
/// status is done (its result is that status); the watch is finished when every node is done.
/// </summary>
internal sealed class StatusWatch
{
    private readonly Channel<StatusUpdate> _updates = Channel.CreateUnbounded<StatusUpdate>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly string[] _paths;
    private readonly HashSet<NodeStatus> _wanted;
    private readonly Node?[] _nodes;
    private readonly NodeStatus?[] _lastSent;
    private readonly bool[] _done;
    private int _remaining;

    public StatusWatch(IReadOnlyList<string> paths, IReadOnlySet<NodeStatus> wanted)
    {
        if (paths.Count == 0)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, "wait: no node path given");
        }

        _paths = [.. paths];
        _wanted = [.. wanted];
        _nodes = new Node?[_paths.Length];
        _lastSent = new NodeStatus?[_paths.Length];
        _done = new bool[_paths.Length];
        _remaining = _paths.Length;
    }

    /// <summary>The updates, in order; completed once the watch is finished.</summary>
    public ChannelReader<StatusUpdate> Updates => _updates.Reader;

    /// <summary>The nodes still watched (bound on the loop).</summary>
    public IEnumerable<Node> WatchedNodes
    {
        get
        {
            for (var i = 0; i < _nodes.Length; i++)
            {
                if (!_done[i] && _nodes[i] is { } node)
                {
                    yield return node;
                }
            }
        }
    }

    /// <summary>Whether every node is done (or the watch failed).</summary>
    public bool IsFinished => _remaining == 0;

    /// <summary>Finds the nodes in the tree; throws <see cref="TaklerException"/> for a path that is not there.</summary>
    public void Bind(Bunch bunch)
    {
        for (var i = 0; i < _paths.Length; i++)
        {
            if (!_done[i])
            {
                NodePaths.RequireAbsolute(_paths[i]);
                _nodes[i] = bunch.FindNode(_paths[i]) ?? throw TaklerException.NodeNotFound(_paths[i]);
            }
        }
    }

    /// <summary>
    /// The updates since the last call: every watched node whose status changed (all of them the first time). A node
    /// in a wanted status is done and watched no more.
    /// </summary>
    public List<StatusUpdate> Collect()
    {
        var updates = new List<StatusUpdate>();
        for (var i = 0; i < _nodes.Length; i++)
        {
            if (_done[i] || _nodes[i] is not { } node || _lastSent[i] == node.Status)
            {
                continue;
            }

            var reached = _wanted.Contains(node.Status);
            _lastSent[i] = node.Status;
            updates.Add(new StatusUpdate(node.Path, node.Status, (node as TaskNode)?.TryNo ?? 0, reached));
            if (reached)
            {
                _done[i] = true;
                _remaining--;
            }
        }

        return updates;
    }

    /// <summary>Ends the watch with an error (a watched node was deleted).</summary>
    public void Fail(TaklerException error)
    {
        _remaining = 0;
        _updates.Writer.TryWrite(new StatusUpdate(string.Empty, NodeStatus.Unknown, 0, false, error));
        _updates.Writer.TryComplete();
    }

    /// <summary>Hands updates to the waiting call (off the loop is fine); completes the stream when finished.</summary>
    public void Deliver(List<StatusUpdate> updates, bool finished)
    {
        foreach (var update in updates)
        {
            _updates.Writer.TryWrite(update);
        }

        if (finished)
        {
            _updates.Writer.TryComplete();
        }
    }
}
