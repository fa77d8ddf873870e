using Takler.Core.Nodes;

namespace Takler.Core.Scheduling;

/// <summary>Tells several observers, in order, of each change (the bunch has one <see cref="Bunch.Observer"/> slot).</summary>
public sealed class CompositeNodeObserver : INodeObserver
{
    private readonly INodeObserver[] _observers;

    public CompositeNodeObserver(params INodeObserver[] observers)
    {
        _observers = observers;
    }

    /// <summary>The observers told, in order.</summary>
    public IReadOnlyList<INodeObserver> Observers => _observers;

    public void StatusChanged(Node node, NodeStatus old)
    {
        foreach (var o in _observers)
        {
            o.StatusChanged(node, old);
        }
    }

    public void AttributeChanged(Node node)
    {
        foreach (var o in _observers)
        {
            o.AttributeChanged(node);
        }
    }

    public void TreeChanged(NodeContainer? container)
    {
        foreach (var o in _observers)
        {
            o.TreeChanged(container);
        }
    }
}
