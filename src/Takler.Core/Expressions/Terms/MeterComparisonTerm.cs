using System.Globalization;
using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>
/// `path:meter > 5` and the like, fused into one term (a <see cref="MeterTerm"/> inside a
/// <see cref="ConstantComparisonTerm"/>, told and explained the same): one object per comparison instead of two.
/// </summary>
internal sealed class MeterComparisonTerm : BoundTerm
{
    private readonly Node _owner;
    private readonly Meter _meter;
    private readonly ComparisonOperator _op;
    private readonly long _value;

    public MeterComparisonTerm(Node owner, Meter meter, ComparisonOperator op, long compared, string source, int start, int length)
        : base(source, start, length)
    {
        _owner = owner;
        _meter = meter;
        _op = op;
        _value = compared;
    }

    public override bool IsTrue() => _op.Holds(((long)_meter.Value).CompareTo(_value));

    public override long Number() => IsTrue() ? 1 : 0;

    public override void AddFacts(List<string> facts) =>
        AddFact(facts, $"{_meter.Name} is {_meter.Value.ToString(CultureInfo.InvariantCulture)}");

    public override void AddDependencies(List<Node> nodes) => AddDependency(nodes, _owner);
}
