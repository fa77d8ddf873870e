using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>A repeat's <see cref="Repeat.NumericValue"/>: the date as YYYYMMDD, the integer, a string's position.</summary>
internal sealed class RepeatTerm : BoundTerm
{
    private readonly Node _owner;
    private readonly Repeat _repeat;

    public RepeatTerm(Node owner, Repeat repeat, string source, int start, int length)
        : base(source, start, length)
    {
        _owner = owner;
        _repeat = repeat;
    }

    public override bool IsTrue() => _repeat.NumericValue != 0;

    public override long Number() => _repeat.NumericValue;

    public override void AddFacts(List<string> facts) => AddFact(facts, $"{_repeat.Name} is {Quote(_repeat.ValueText)}");

    public override void AddDependencies(List<Node> nodes) => AddDependency(nodes, _owner);
}
