using System.Globalization;
using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>A limit's tokens in use.</summary>
internal sealed class LimitTerm : BoundTerm
{
    private readonly Node _owner;
    private readonly Limit _limit;

    public LimitTerm(Node owner, Limit limit, string source, int start, int length)
        : base(source, start, length)
    {
        _owner = owner;
        _limit = limit;
    }

    public override bool IsTrue() => _limit.Value != 0;

    public override long Number() => _limit.Value;

    public override void AddFacts(List<string> facts) =>
        AddFact(facts, $"{_limit.Name} is {_limit.Value.ToString(CultureInfo.InvariantCulture)}");

    public override void AddDependencies(List<Node> nodes) => AddDependency(nodes, _owner);
}
