namespace Takler.Core.Nodes;

/// <summary>Told about every change of status or shape in a bunch; the scheduler uses it to re-evaluate only what depends on the change.</summary>
public interface INodeObserver
{
    /// <summary>A node's status changed from <paramref name="old"/>.</summary>
    void StatusChanged(Node node, NodeStatus old);

    /// <summary>An attribute value (event, meter, label, repeat, parameter, latch, suspended flag) of a node changed.</summary>
    void AttributeChanged(Node node);

    /// <summary>Children were added to or removed from <paramref name="container"/>, or a flow was added or removed (container is null).</summary>
    void TreeChanged(NodeContainer? container);
}
