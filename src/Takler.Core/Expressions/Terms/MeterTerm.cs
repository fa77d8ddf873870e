using System.Globalization;
using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>A meter's value.</summary>
internal sealed class MeterTerm : BoundTerm
{
    private readonly Node _owner;
    private readonly Meter _meter;

    public MeterTerm(Node owner, Meter meter, string source, int start, int length)
        : base(source, start, length)
    {
        _owner = owner;
        _meter = meter;
    }

    public override bool IsTrue() => _meter.Value != 0;

    public override long Number() => _meter.Value;

    public override void AddFacts(List<string> facts) =>
        AddFact(facts, $"{_meter.Name} is {_meter.Value.ToString(CultureInfo.InvariantCulture)}");

    public override void AddDependencies(List<Node> nodes) => AddDependency(nodes, _owner);
}
