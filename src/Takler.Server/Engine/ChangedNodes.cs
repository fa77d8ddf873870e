using Takler.Core.Attributes;
using Takler.Core.Nodes;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Engine;

/// <summary>
/// The nodes changed since their state was last written out, each once, in the order they first changed: what the
/// journal and the query replica write state records of. A task whose status changed may also have taken or released
/// limit tokens, so <see cref="AddLimitOwners"/> adds the nodes that declare those limits (a meter or a label leaves
/// the limits as they were).
/// </summary>
internal sealed class ChangedNodes
{
    private readonly HashSet<Node> _marked = new(ReferenceEqualityComparer.Instance);
    private readonly List<Node> _order = [];
    private readonly HashSet<TaskNode> _statusChanged = new(ReferenceEqualityComparer.Instance);

    /// <summary>Every limit of the tree and the node that declares it; made when first needed, dropped on a change of shape.</summary>
    private Dictionary<Limit, Node>? _limitOwners;

    /// <summary>The changed nodes, in the order they first changed.</summary>
    public List<Node> InOrder => _order;

    /// <summary>Marks a node whose attributes (or status) changed.</summary>
    public void Mark(Node node)
    {
        if (_marked.Add(node))
        {
            _order.Add(node);
        }
    }

    /// <summary>Marks a node whose status changed.</summary>
    public void MarkStatusChange(Node node)
    {
        Mark(node);
        if (node is TaskNode task)
        {
            _statusChanged.Add(task);
        }
    }

    /// <summary>Marks the owners of the limits named by the in-limits of the tasks whose status changed.</summary>
    public void AddLimitOwners(Bunch bunch)
    {
        if (_statusChanged.Count == 0)
        {
            return;
        }

        _limitOwners ??= LimitOwnersOf(bunch);
        if (_limitOwners.Count == 0)
        {
            return;
        }

        foreach (var task in _statusChanged)
        {
            foreach (var (inLimit, declarer) in task.ApplicableInLimits())
            {
                if (task.FindLimitFor(inLimit, declarer) is { } limit && _limitOwners.TryGetValue(limit, out var owner))
                {
                    Mark(owner);
                }
            }
        }
    }

    /// <summary>After a change of the tree's shape: limits may have come or gone.</summary>
    public void ForgetLimitOwners() => _limitOwners = null;

    /// <summary>Forgets the changes (they were written out).</summary>
    public void Clear()
    {
        _marked.Clear();
        _order.Clear();
        _statusChanged.Clear();
    }

    private static Dictionary<Limit, Node> LimitOwnersOf(Bunch bunch)
    {
        var owners = new Dictionary<Limit, Node>(ReferenceEqualityComparer.Instance);
        foreach (var node in bunch.AllNodes())
        {
            foreach (var limit in node.Limits)
            {
                owners[limit] = node;
            }
        }

        return owners;
    }
}
