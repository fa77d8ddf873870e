using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>A label's text: compared as a number when both sides are numbers, else as text.</summary>
internal sealed class LabelTerm : BoundTerm
{
    private readonly Node _owner;
    private readonly Label _label;

    public LabelTerm(Node owner, Label label, string source, int start, int length)
        : base(source, start, length)
    {
        _owner = owner;
        _label = label;
    }

    public override bool IsTextual => true;

    public override bool IsTrue() => Number() != 0;

    public override long Number() => TryParseNumber(_label.Text, out var n) ? n : 0;

    public override string? TextValue() => _label.Text;

    public override void AddFacts(List<string> facts) => AddFact(facts, $"{_label.Name} is {Quote(_label.Text)}");

    public override void AddDependencies(List<Node> nodes) => AddDependency(nodes, _owner);
}
