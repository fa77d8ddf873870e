namespace Takler.Core.Expressions;

/// <summary>
/// `path:name`: an event, meter, variable, repeat, limit or label of the node at <see cref="Path"/>, looked up in that
/// order (ecFlow's order, labels last). Alone as a condition: an event is set, anything else is non-zero.
/// </summary>
public sealed record AttributeReference(string Path, string Name, int Start, int Length) : ExpressionNode(Start, Length)
{
    public override string ToString() => $"{Path}:{Name}";
}
