using System.Globalization;

namespace Takler.Core.Attributes;

/// <summary>`repeat date NAME start end [step]`: dates from start to end, stepping by days (step may be negative).</summary>
public sealed class RepeatDate : Repeat
{
    public RepeatDate(string name, long start, long end, int step = 1)
        : base(name)
    {
        StartDate = RepeatDates.Parse(start, $"repeat date {name} start");
        EndDate = RepeatDates.Parse(end, $"repeat date {name} end");
        if (step == 0)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"repeat date {name}: step must not be 0");
        }

        if ((step > 0 && EndDate < StartDate) || (step < 0 && EndDate > StartDate))
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"repeat date {name}: end {end} cannot be reached from {start} with step {step}");
        }

        Start = start;
        End = end;
        Step = step;
        Count = ((EndDate.DayNumber - StartDate.DayNumber) / step) + 1;
    }

    public long Start { get; }

    public long End { get; }

    /// <summary>Days between values. The default value is 1.</summary>
    public int Step { get; }

    public DateOnly StartDate { get; }

    public DateOnly EndDate { get; }

    public override string Kind => "date";

    public override int Count { get; }

    /// <summary>The current date.</summary>
    public DateOnly Date => StartDate.AddDays(Position * Step);

    public override long NumericValue => RepeatDates.ToNumber(Date);

    public override string ValueText => NumericValue.ToString(CultureInfo.InvariantCulture);

    public override string DefinitionText => FormattableString.Invariant($"date {Name} {Start} {End} {Step}");

    /// <summary>Moves to the given date, which must be one of the repeat's values.</summary>
    public void SetDate(long yyyymmdd)
    {
        var date = RepeatDates.Parse(yyyymmdd, $"repeat date {Name} value");
        var offset = date.DayNumber - StartDate.DayNumber;
        if (offset % Step != 0 || offset / Step < 0 || offset / Step >= Count)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"repeat date {Name}: {yyyymmdd} is not one of its dates");
        }

        SetPosition(offset / Step);
    }

    public override IEnumerable<KeyValuePair<string, string>> GeneratedParameters() =>
        base.GeneratedParameters().Concat(RepeatDates.Parts(Name, Date));

    public override Repeat CloneDefinition() => new RepeatDate(Name, Start, End, Step);
}
