using System.Globalization;

namespace Takler.Cli;

/// <summary>Python's <c>str(timedelta)</c>: <c>H:MM:SS</c>, then <c>.ffffff</c> when there are microseconds.</summary>
internal static class PythonTimedelta
{
    public static string Format(TimeSpan span)
    {
        var micros = span.Ticks / 10;
        var days = micros / 86_400_000_000L;
        micros -= days * 86_400_000_000L;
        var seconds = micros / 1_000_000;
        var fraction = micros % 1_000_000;
        var text = string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}");
        if (fraction != 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $".{fraction:000000}");
        }

        return days == 0 ? text : string.Create(CultureInfo.InvariantCulture, $"{days} day{(Math.Abs(days) == 1 ? string.Empty : "s")}, {text}");
    }
}
