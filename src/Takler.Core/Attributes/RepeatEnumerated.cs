using System.Globalization;

namespace Takler.Core.Attributes;

/// <summary>`repeat enumerated NAME "a" "b" ...`: in triggers an integer value compares as itself, other values as their position.</summary>
public sealed class RepeatEnumerated : Repeat
{
    public RepeatEnumerated(string name, IReadOnlyList<string> values)
        : base(name)
    {
        if (values.Count == 0)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"repeat enumerated {name}: needs at least one value");
        }

        Values = values.ToArray();
    }

    public IReadOnlyList<string> Values { get; }

    public override string Kind => "enumerated";

    public override int Count => Values.Count;

    public override long NumericValue =>
        long.TryParse(ValueText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : Position;

    public override string ValueText => Values[Position];

    public override string DefinitionText => $"enumerated {Name} {QuoteAll(Values)}";

    public override Repeat CloneDefinition() => new RepeatEnumerated(Name, Values);

    internal static string QuoteAll(IEnumerable<string> values) => string.Join(' ', values.Select(v => $"\"{v}\""));
}
