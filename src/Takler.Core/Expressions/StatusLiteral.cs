using Takler.Core.Nodes;

namespace Takler.Core.Expressions;

/// <summary>A status name; its value is ecFlow's ordinal (unknown 0, complete 1, queued 2, aborted 3, submitted 4, active 5).</summary>
public sealed record StatusLiteral(NodeStatus Status, int Start, int Length) : ExpressionNode(Start, Length)
{
    public override string ToString() => Status.Name();
}
