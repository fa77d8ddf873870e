using System.Globalization;

namespace Takler.Protocol.Grpc;

/// <summary>
/// The <c>grpc-timeout</c> header (PROTOCOL-HTTP2.md, Requests): Timeout -> TimeoutValue TimeoutUnit,
/// a positive integer of at most 8 ASCII digits followed by H, M, S, m, u or n.
/// </summary>
public static class GrpcTimeout
{
    /// <summary>The largest TimeoutValue: 8 digits.</summary>
    public const long MaxValue = 99_999_999;

    private const long TicksPerMicrosecond = 10;

    /// <summary>Parses a header value; false when it is not of the form above.</summary>
    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = TimeSpan.Zero;
        if (value is null || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        long amount = 0;
        for (var i = 0; i < value.Length - 1; i++)
        {
            var c = value[i];
            if (c is < '0' or > '9')
            {
                return false;
            }

            amount = (amount * 10) + (c - '0');
        }

        // 99,999,999 hours is about 11,400 years: every unit fits in a TimeSpan.
        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * TicksPerMicrosecond,
            'n' => (amount + 99) / 100, // round up to 100 ns ticks: never shorten a deadline
            _ => null,
        };
        if (ticks is null)
        {
            return false;
        }

        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }

    /// <summary>
    /// Formats a timeout in the finest unit whose value fits in 8 digits, rounding up.
    /// Zero or negative gives <c>0n</c>; anything beyond the largest value gives <c>99999999H</c>.
    /// </summary>
    public static string Format(TimeSpan timeout)
    {
        var ticks = timeout.Ticks;
        if (ticks <= 0)
        {
            return "0n";
        }

        if (ticks <= MaxValue / 100)
        {
            return Text(ticks * 100, 'n');
        }

        var units = new (long TicksPerUnit, char Unit)[]
        {
            (TicksPerMicrosecond, 'u'),
            (TimeSpan.TicksPerMillisecond, 'm'),
            (TimeSpan.TicksPerSecond, 'S'),
            (TimeSpan.TicksPerMinute, 'M'),
            (TimeSpan.TicksPerHour, 'H'),
        };
        foreach (var (ticksPerUnit, unit) in units)
        {
            var value = (ticks / ticksPerUnit) + (ticks % ticksPerUnit == 0 ? 0 : 1);
            if (value <= MaxValue)
            {
                return Text(value, unit);
            }
        }

        return Text(MaxValue, 'H');
    }

    private static string Text(long value, char unit) =>
        value.ToString(CultureInfo.InvariantCulture) + unit;
}
