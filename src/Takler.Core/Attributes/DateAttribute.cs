using System.Globalization;

namespace Takler.Core.Attributes;

/// <summary>`date dd.mm.yyyy` with `*` for any: 0 in a field means any.</summary>
public sealed class DateAttribute
{
    public DateAttribute(int day, int month, int year)
    {
        if (day is < 0 or > 31 || month is < 0 or > 12 || year < 0 ||
            (day > 0 && month > 0 && year > 0 && day > DateTime.DaysInMonth(year, month)))
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"date {Format(day, month, year)} is not a valid date");
        }

        Day = day;
        Month = month;
        Year = year;
    }

    /// <summary>Day of month, 0 = any.</summary>
    public int Day { get; }

    /// <summary>Month, 0 = any.</summary>
    public int Month { get; }

    /// <summary>Year, 0 = any.</summary>
    public int Year { get; }

    /// <summary>Latch set by free-dep; cleared by requeue.</summary>
    public bool Free { get; set; }

    /// <summary>Whether <paramref name="date"/> matches.</summary>
    public bool Matches(DateOnly date) =>
        (Day == 0 || Day == date.Day) && (Month == 0 || Month == date.Month) && (Year == 0 || Year == date.Year);

    /// <summary>The first date on or after <paramref name="from"/> that matches, searching at most <paramref name="maxDays"/> days; null when none.</summary>
    public DateOnly? FirstMatchOnOrAfter(DateOnly from, int maxDays = 3000)
    {
        if (Year > 0 && Month > 0 && Day > 0)
        {
            var exact = new DateOnly(Year, Month, Day);
            return exact >= from ? exact : null;
        }

        if (Year > 0 && Year < from.Year)
        {
            return null;
        }

        var day = from;
        for (var i = 0; i <= maxDays; i++)
        {
            if (Matches(day))
            {
                return day;
            }

            if (day == DateOnly.MaxValue || (Year > 0 && day.Year > Year))
            {
                return null;
            }

            day = day.AddDays(1);
        }

        return null;
    }

    /// <summary>Parses `dd.mm.yyyy` with `*` wildcards.</summary>
    public static DateAttribute Parse(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 3)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"'{text}' is not a date (dd.mm.yyyy, * for any)");
        }

        return new DateAttribute(Field(parts[0], text), Field(parts[1], text), Field(parts[2], text));
    }

    public override string ToString() => $"date {Format(Day, Month, Year)}";

    private static int Field(string part, string text)
    {
        if (part == "*")
        {
            return 0;
        }

        if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value == 0)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"'{text}' is not a date (dd.mm.yyyy, * for any)");
        }

        return value;
    }

    private static string Format(int day, int month, int year) =>
        $"{(day == 0 ? "*" : day.ToString(CultureInfo.InvariantCulture))}.{(month == 0 ? "*" : month.ToString(CultureInfo.InvariantCulture))}.{(year == 0 ? "*" : year.ToString(CultureInfo.InvariantCulture))}";
}
