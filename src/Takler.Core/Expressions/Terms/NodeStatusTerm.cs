using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>A node: its status's ordinal as a number; complete as a condition.</summary>
internal sealed class NodeStatusTerm : BoundTerm
{
    private readonly Node _node;

    public NodeStatusTerm(Node node, string source, int start, int length)
        : base(source, start, length)
    {
        _node = node;
    }

    public override bool IsTrue() => _node.Status == NodeStatus.Complete;

    public override long Number() => (long)_node.Status;

    public override void AddFacts(List<string> facts) => AddFact(facts, $"{Text} is {_node.Status.Name()}");

    public override void AddDependencies(List<Node> nodes) => AddDependency(nodes, _node);
}
