using System.Globalization;

namespace Takler.Core.Attributes;

/// <summary>`repeat datelist NAME 20240101 20240105 ...`: an explicit list of dates.</summary>
public sealed class RepeatDateList : Repeat
{
    private readonly DateOnly[] _dates;

    public RepeatDateList(string name, IReadOnlyList<long> dates)
        : base(name)
    {
        if (dates.Count == 0)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"repeat datelist {name}: needs at least one date");
        }

        _dates = dates.Select(d => RepeatDates.Parse(d, $"repeat datelist {name}")).ToArray();
        Dates = dates.ToArray();
    }

    public IReadOnlyList<long> Dates { get; }

    public override string Kind => "datelist";

    public override int Count => _dates.Length;

    public DateOnly Date => _dates[Position];

    public override long NumericValue => Dates[Position];

    public override string ValueText => NumericValue.ToString(CultureInfo.InvariantCulture);

    public override string DefinitionText =>
        $"datelist {Name} {string.Join(' ', Dates.Select(d => $"\"{d.ToString(CultureInfo.InvariantCulture)}\""))}";

    public override IEnumerable<KeyValuePair<string, string>> GeneratedParameters() =>
        base.GeneratedParameters().Concat(RepeatDates.Parts(Name, Date));

    public override Repeat CloneDefinition() => new RepeatDateList(Name, Dates);
}
