using Takler.Core.Attributes;
using Takler.Core.Nodes;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Engine;

/// <summary>
/// Which node declares each limit of a tree. A task's status change also changes the usage of the limits its in-limits
/// name, so whoever records changed nodes (the journal, the query replica) records those limits' owners with it.
/// </summary>
internal static class LimitOwners
{
    /// <summary>Every limit of the tree and the node that declares it.</summary>
    public static Dictionary<Limit, Node> Of(Bunch bunch)
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

    /// <summary>
    /// Marks the owners of the limits named by the in-limits of <paramref name="statusChanged"/>, the tasks whose status
    /// changed (only a status change takes or releases tokens; a meter or a label leaves the limits as they were).
    /// </summary>
    public static void MarkForStatusChanges(List<TaskNode> statusChanged, Dictionary<Limit, Node> owners, Action<Node> mark)
    {
        if (owners.Count == 0)
        {
            return;
        }

        foreach (var task in statusChanged)
        {
            foreach (var (inLimit, declarer) in task.ApplicableInLimits())
            {
                if (task.FindLimitFor(inLimit, declarer) is { } limit && owners.TryGetValue(limit, out var owner))
                {
                    mark(owner);
                }
            }
        }
    }
}
