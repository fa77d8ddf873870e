using System.Globalization;

namespace Takler.Core.Attributes;

/// <summary>`repeat day [step]`: repeats for ever (ecFlow's day repeat has no name of its own; it is called `day`).</summary>
public sealed class RepeatDay : Repeat
{
    public RepeatDay(int step = 1)
        : base("day")
    {
        if (step <= 0)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"repeat day: step must be positive, not {step}");
        }

        Step = step;
    }

    /// <summary>The step in days. The default value is 1.</summary>
    public int Step { get; }

    public override string Kind => "day";

    public override int Count => int.MaxValue;

    public override long NumericValue => Step;

    public override string ValueText => Step.ToString(CultureInfo.InvariantCulture);

    public override string DefinitionText => FormattableString.Invariant($"day {Step}");

    public override Repeat CloneDefinition() => new RepeatDay(Step);
}
