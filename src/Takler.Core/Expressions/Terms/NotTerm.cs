using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>`not operand`.</summary>
internal sealed class NotTerm : BoundTerm
{
    private readonly BoundTerm _operand;

    public NotTerm(BoundTerm operand, string source, int start, int length)
        : base(source, start, length)
    {
        _operand = operand;
    }

    public override bool IsTrue() => !_operand.IsTrue();

    public override long Number() => IsTrue() ? 1 : 0;

    public override void AddFacts(List<string> facts) => _operand.AddFacts(facts);

    public override void AddDependencies(List<Node> nodes) => _operand.AddDependencies(nodes);
}
