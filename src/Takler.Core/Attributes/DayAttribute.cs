namespace Takler.Core.Attributes;

/// <summary>`day monday`: the node may run only on that day of the week.</summary>
public sealed class DayAttribute
{
    public DayAttribute(DayOfWeek day)
    {
        Day = day;
    }

    public DayOfWeek Day { get; }

    /// <summary>Latch set by free-dep; cleared by requeue.</summary>
    public bool Free { get; set; }

    /// <summary>The first date on or after <paramref name="from"/> that falls on <see cref="Day"/>.</summary>
    public DateOnly FirstMatchOnOrAfter(DateOnly from) => from.AddDays(((int)Day - (int)from.DayOfWeek + 7) % 7);

    /// <summary>Parses a lower-case English day name.</summary>
    public static DayAttribute Parse(string text) => new(ParseDay(text));

    internal static DayOfWeek ParseDay(string text) => text switch
    {
        "sunday" => DayOfWeek.Sunday,
        "monday" => DayOfWeek.Monday,
        "tuesday" => DayOfWeek.Tuesday,
        "wednesday" => DayOfWeek.Wednesday,
        "thursday" => DayOfWeek.Thursday,
        "friday" => DayOfWeek.Friday,
        "saturday" => DayOfWeek.Saturday,
        _ => throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"'{text}' is not a day of the week (monday ... sunday)"),
    };

    public override string ToString() => $"day {Day.ToString().ToLowerInvariant()}";
}
