using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Expressions.Terms;

/// <summary>An event: 1 when set, 0 when clear; set as a condition.</summary>
internal sealed class EventTerm : BoundTerm
{
    private readonly Node _owner;
    private readonly Event _event;

    public EventTerm(Node owner, Event value, string source, int start, int length)
        : base(source, start, length)
    {
        _owner = owner;
        _event = value;
    }

    public override bool IsTrue() => _event.Value;

    public override long Number() => _event.Value ? 1 : 0;

    public override void AddFacts(List<string> facts) => AddFact(facts, $"{_event.Key} is {(_event.Value ? "set" : "clear")}");

    public override void AddDependencies(List<Node> nodes) => AddDependency(nodes, _owner);
}
