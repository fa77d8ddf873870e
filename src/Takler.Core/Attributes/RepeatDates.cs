using System.Globalization;

namespace Takler.Core.Attributes;

/// <summary>Date helpers shared by the date repeats: YYYYMMDD integers, validated.</summary>
public static class RepeatDates
{
    /// <summary>Parses a YYYYMMDD integer; an impossible date (20240230) is rejected with an error naming it.</summary>
    public static DateOnly Parse(long yyyymmdd, string what)
    {
        var year = (int)(yyyymmdd / 10000);
        var month = (int)(yyyymmdd / 100 % 100);
        var day = (int)(yyyymmdd % 100);
        if (yyyymmdd < 10000101 || yyyymmdd > 99991231 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"{what}: {yyyymmdd} is not a valid date (YYYYMMDD)");
        }

        return new DateOnly(year, month, day);
    }

    /// <summary>Parses YYYYMMDD text.</summary>
    public static DateOnly Parse(string text, string what)
    {
        if (text.Length != 8 || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"{what}: '{text}' is not a date (YYYYMMDD)");
        }

        return Parse(value, what);
    }

    /// <summary>The YYYYMMDD integer of a date.</summary>
    public static long ToNumber(DateOnly date) => (date.Year * 10000L) + (date.Month * 100L) + date.Day;

    /// <summary>The Julian day number of a date, as ecFlow's `_JULIAN` variables give it.</summary>
    public static long Julian(DateOnly date) => date.DayNumber + 1721426L;

    /// <summary>`NAME_YYYY`, `NAME_MM`, `NAME_DD`, `NAME_DOW` (0 = Sunday), `NAME_JULIAN`.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Parts(string name, DateOnly date)
    {
        var c = CultureInfo.InvariantCulture;
        yield return new($"{name}_YYYY", date.Year.ToString("D4", c));
        yield return new($"{name}_MM", date.Month.ToString("D2", c));
        yield return new($"{name}_DD", date.Day.ToString("D2", c));
        yield return new($"{name}_DOW", ((int)date.DayOfWeek).ToString(c));
        yield return new($"{name}_JULIAN", Julian(date).ToString(c));
    }
}
