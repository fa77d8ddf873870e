namespace Takler.Core.Expressions;

/// <summary>`:name`: looked up on the holder, then on each ancestor (as ecFlow's `:VAR`), then on the server.</summary>
public sealed record VariableReference(string Name, int Start, int Length) : ExpressionNode(Start, Length)
{
    public override string ToString() => $":{Name}";
}
