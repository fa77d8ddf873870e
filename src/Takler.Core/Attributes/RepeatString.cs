namespace Takler.Core.Attributes;

/// <summary>`repeat string NAME "a" "b" ...`: in triggers the value compares as its position.</summary>
public sealed class RepeatString : Repeat
{
    public RepeatString(string name, IReadOnlyList<string> values)
        : base(name)
    {
        if (values.Count == 0)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"repeat string {name}: needs at least one value");
        }

        Values = values.ToArray();
    }

    public IReadOnlyList<string> Values { get; }

    public override string Kind => "string";

    public override int Count => Values.Count;

    public override long NumericValue => Position;

    public override string ValueText => Values[Position];

    public override string DefinitionText => $"string {Name} {RepeatEnumerated.QuoteAll(Values)}";

    public override Repeat CloneDefinition() => new RepeatString(Name, Values);
}
