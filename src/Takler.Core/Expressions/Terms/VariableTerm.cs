using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>
/// A variable, read live from where binding found it (so a changed value is seen without binding again). Compared as
/// a number when both sides are numbers, else as text; in arithmetic, text that is not a number counts as 0 (ecFlow).
/// </summary>
internal sealed class VariableTerm : BoundTerm
{
    private readonly Node? _owner;
    private readonly Bunch? _bunch;
    private readonly string _name;
    private readonly VariableSource _source;

    public VariableTerm(Node? owner, Bunch? bunch, string name, VariableSource source, string text, int start, int length)
        : base(text, start, length)
    {
        _owner = owner;
        _bunch = bunch;
        _name = name;
        _source = source;
    }

    public override bool IsTextual => true;

    public override bool IsTrue() => Number() != 0;

    public override long Number() => TryParseNumber(TextValue(), out var n) ? n : 0;

    public override string? TextValue() => _source switch
    {
        VariableSource.User => _owner!.FindOwnParameter(_name)?.Value ?? string.Empty,
        VariableSource.Generated => _owner!.TryGetOwnValue(_name, out var value) ? value : string.Empty,
        _ => _bunch?.FindServerParameterValue(_name) ?? string.Empty,
    };

    public override void AddFacts(List<string> facts) => AddFact(facts, $"{_name} is {Quote(TextValue() ?? string.Empty)}");

    public override void AddDependencies(List<Node> nodes)
    {
        if (_owner is not null)
        {
            AddDependency(nodes, _owner);
        }
    }
}
