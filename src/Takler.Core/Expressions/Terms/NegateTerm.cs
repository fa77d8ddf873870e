using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>Unary minus.</summary>
internal sealed class NegateTerm : BoundTerm
{
    private readonly BoundTerm _operand;

    public NegateTerm(BoundTerm operand, string source, int start, int length)
        : base(source, start, length)
    {
        _operand = operand;
    }

    public override bool IsTrue() => Number() != 0;

    public override long Number() => unchecked(-_operand.Number());

    public override void AddFacts(List<string> facts) => _operand.AddFacts(facts);

    public override void AddDependencies(List<Node> nodes) => _operand.AddDependencies(nodes);
}
