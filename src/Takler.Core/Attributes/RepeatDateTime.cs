using System.Globalization;

namespace Takler.Core.Attributes;

/// <summary>`repeat datetime NAME 20240101T000000 20240102T000000 [HH:MM:SS]`: instants from start to end by a duration.</summary>
public sealed class RepeatDateTime : Repeat
{
    private const string Format = "yyyyMMdd'T'HHmmss";

    public RepeatDateTime(string name, DateTime start, DateTime end, TimeSpan step)
        : base(name)
    {
        if (step <= TimeSpan.Zero)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"repeat datetime {name}: step must be positive");
        }

        if (end < start)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"repeat datetime {name}: end is before start");
        }

        Start = start;
        End = end;
        Step = step;
        Count = (int)Math.Min(((end - start).Ticks / step.Ticks) + 1, int.MaxValue);
    }

    public DateTime Start { get; }

    public DateTime End { get; }

    public TimeSpan Step { get; }

    public override string Kind => "datetime";

    public override int Count { get; }

    public DateTime Value => Start + (Step * Position);

    /// <summary>Seconds since 1970-01-01, as ecFlow compares datetime repeats.</summary>
    public override long NumericValue => (long)(Value - DateTime.UnixEpoch).TotalSeconds;

    public override string ValueText => Value.ToString(Format, CultureInfo.InvariantCulture);

    public override string DefinitionText =>
        $"datetime {Name} {Start.ToString(Format, CultureInfo.InvariantCulture)} {End.ToString(Format, CultureInfo.InvariantCulture)} {FormatStep(Step)}";

    /// <summary>Parses `yyyyMMddTHHmmss`.</summary>
    public static bool TryParseInstant(string text, out DateTime value) =>
        DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary>Formats a step as `HH:MM:SS` (hours may exceed 24).</summary>
    public static string FormatStep(TimeSpan step) =>
        FormattableString.Invariant($"{(int)step.TotalHours:D2}:{step.Minutes:D2}:{step.Seconds:D2}");

    public override IEnumerable<KeyValuePair<string, string>> GeneratedParameters() =>
        base.GeneratedParameters().Concat(RepeatDates.Parts(Name, DateOnly.FromDateTime(Value)));

    public override Repeat CloneDefinition() => new RepeatDateTime(Name, Start, End, Step);
}
