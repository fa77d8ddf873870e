using System.Globalization;

namespace Takler.Core.Attributes;

/// <summary>`repeat integer NAME start end [step]`.</summary>
public sealed class RepeatInteger : Repeat
{
    public RepeatInteger(string name, long start, long end, long step = 1)
        : base(name)
    {
        if (step == 0)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"repeat integer {name}: step must not be 0");
        }

        if ((step > 0 && end < start) || (step < 0 && end > start))
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"repeat integer {name}: end {end} cannot be reached from {start} with step {step}");
        }

        Start = start;
        End = end;
        Step = step;
        Count = (int)Math.Min(((end - start) / step) + 1, int.MaxValue);
    }

    public long Start { get; }

    public long End { get; }

    /// <summary>The increment. The default value is 1.</summary>
    public long Step { get; }

    public override string Kind => "integer";

    public override int Count { get; }

    public override long NumericValue => Start + (Position * Step);

    public override string ValueText => NumericValue.ToString(CultureInfo.InvariantCulture);

    public override string DefinitionText => FormattableString.Invariant($"integer {Name} {Start} {End} {Step}");

    public override Repeat CloneDefinition() => new RepeatInteger(Name, Start, End, Step);
}
