namespace Takler.Core.Expressions.Terms;

/// <summary>An integer, a status (its ordinal) or an event value (1 or 0).</summary>
internal sealed class ConstantTerm : BoundTerm
{
    private readonly long _value;

    public ConstantTerm(long value, string source, int start, int length)
        : base(source, start, length)
    {
        _value = value;
    }

    public override bool IsTrue() => _value != 0;

    public override long Number() => _value;
}
