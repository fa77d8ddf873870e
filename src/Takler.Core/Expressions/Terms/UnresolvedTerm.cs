namespace Takler.Core.Expressions.Terms;

/// <summary>A reference binding could not resolve: false, 0; "why" tells what is missing.</summary>
internal sealed class UnresolvedTerm : BoundTerm
{
    private readonly string _reason;

    public UnresolvedTerm(string reason, string source, int start, int length)
        : base(source, start, length)
    {
        _reason = reason;
    }

    public override bool IsTrue() => false;

    public override long Number() => 0;

    public override void AddFacts(List<string> facts) => AddFact(facts, _reason);
}
