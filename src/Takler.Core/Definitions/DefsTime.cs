namespace Takler.Core.Definitions;

/// <summary>ecFlow's strict `hh:mm` (two digits each, hour 00-23, minute 00-59), used by time, today, cron, late and clock.</summary>
internal static class DefsTime
{
    /// <summary>Parses `hh:mm`; null when fine, else what is wrong.</summary>
    public static string? ParseClock(ReadOnlySpan<char> text, out TimeSpan value)
    {
        value = default;
        if (text.Length != 5 || text[2] != ':' || !char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[1]) ||
            !char.IsAsciiDigit(text[3]) || !char.IsAsciiDigit(text[4]))
        {
            return $"'{text}' is not a time (hh:mm, two digits each)";
        }

        var hours = ((text[0] - '0') * 10) + (text[1] - '0');
        var minutes = ((text[3] - '0') * 10) + (text[4] - '0');
        if (hours > 23)
        {
            return $"hour {hours} in '{text}' is outside 00..23";
        }

        if (minutes > 59)
        {
            return $"minute {minutes} in '{text}' is outside 00..59";
        }

        value = new TimeSpan(hours, minutes, 0);
        return null;
    }

    /// <summary>True for a valid `hh:mm`.</summary>
    public static bool TryParseClock(ReadOnlySpan<char> text, out TimeSpan value, out string? error)
    {
        error = ParseClock(text, out value);
        return error is null;
    }
}
