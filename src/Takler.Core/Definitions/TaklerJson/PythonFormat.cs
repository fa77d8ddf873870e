using System.Globalization;
using System.Numerics;
using System.Text;

namespace Takler.Core.Definitions.TaklerJson;

/// <summary>Text as Python writes it: <c>repr(float)</c>, <c>str(int)</c>, <c>datetime.isoformat()</c>, <c>timedelta.total_seconds()</c>.</summary>
internal static class PythonFormat
{
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFF",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss.FFFFFF",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd'T'HH",
        "yyyy-MM-dd",
    ];

    /// <summary>
    /// Python's <c>repr(float)</c> as <c>json.dumps</c> writes it: the shortest round-trip digits, a <c>.0</c> on
    /// whole numbers, exponent form below 1e-4 and from 1e16 on (<c>1e-05</c>, <c>1e+16</c>), and
    /// <c>NaN</c>/<c>Infinity</c>/<c>-Infinity</c>.
    /// </summary>
    public static string FloatRepr(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text[0] == '-';
        var body = negative ? text.AsSpan(1) : text.AsSpan();
        var exponent = 0;
        var e = body.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exponent = int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            body = body[..e];
        }

        var dot = body.IndexOf('.');
        var digits = dot < 0 ? body.ToString() : string.Concat(body[..dot], body[(dot + 1)..]);
        var decimalPoint = (dot < 0 ? body.Length : dot) + exponent;
        var lead = 0;
        while (lead < digits.Length && digits[lead] == '0')
        {
            lead++;
        }

        if (lead == digits.Length)
        {
            return negative ? "-0.0" : "0.0";
        }

        digits = digits[lead..].TrimEnd('0');
        decimalPoint -= lead;
        var sb = new StringBuilder(digits.Length + 8);
        if (negative)
        {
            sb.Append('-');
        }

        if (decimalPoint <= -4 || decimalPoint > 16)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            var exp = decimalPoint - 1;
            sb.Append('e').Append(exp < 0 ? '-' : '+').Append(Math.Abs(exp).ToString("D2", CultureInfo.InvariantCulture));
        }
        else if (decimalPoint <= 0)
        {
            sb.Append("0.").Append('0', -decimalPoint).Append(digits);
        }
        else if (decimalPoint >= digits.Length)
        {
            sb.Append(digits).Append('0', decimalPoint - digits.Length).Append(".0");
        }
        else
        {
            sb.Append(digits, 0, decimalPoint).Append('.').Append(digits, decimalPoint, digits.Length - decimalPoint);
        }

        return sb.ToString();
    }

    /// <summary>Python's <c>str(float)</c>: like <see cref="FloatRepr"/> but <c>nan</c>, <c>inf</c>, <c>-inf</c>.</summary>
    public static string FloatStr(double value) =>
        double.IsNaN(value) ? "nan" : double.IsInfinity(value) ? (value > 0 ? "inf" : "-inf") : FloatRepr(value);

    /// <summary>The JSON form of a float parameter's text (its <c>str()</c>): <c>inf</c> becomes <c>Infinity</c>; false when it is no number.</summary>
    public static bool TryFloatJson(string text, out string json)
    {
        json = text switch
        {
            "nan" => "NaN",
            "inf" => "Infinity",
            "-inf" => "-Infinity",
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? FloatRepr(d) : string.Empty,
        };
        return json.Length > 0;
    }

    /// <summary>Python's <c>str(int)</c> of a JSON integer literal (arbitrary size; <c>-0</c> is <c>0</c>).</summary>
    public static string IntegerText(ReadOnlySpan<char> literal) =>
        BigInteger.Parse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether a parameter's text is a valid integer literal to write as a JSON number.</summary>
    public static bool IsIntegerText(string text) =>
        text.Length > 0 && BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    /// <summary><c>datetime.isoformat()</c> of a naive datetime: microseconds only when not zero.</summary>
    public static string IsoFormat(DateTime value)
    {
        var micro = (int)(value.Ticks % TimeSpan.TicksPerSecond / 10);
        var text = value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return micro == 0 ? text : text + "." + micro.ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary><c>datetime.fromisoformat</c> for the forms Takler writes (and the common shorter ones).</summary>
    public static bool TryParseIso(string text, out DateTime value) =>
        DateTime.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary><c>timedelta.total_seconds()</c>: microseconds over 10^6, as a Python float.</summary>
    public static string TotalSeconds(TimeSpan value) => FloatRepr(Microseconds(value) / 1e6);

    /// <summary><c>timedelta(seconds=x)</c> from a JSON number: rounded to whole microseconds, half to even.</summary>
    public static bool TryParseSeconds(string literal, out TimeSpan value)
    {
        if (decimal.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            var micro = decimal.Round(seconds * 1_000_000m, MidpointRounding.ToEven);
            if (micro >= long.MinValue / 10 && micro <= long.MaxValue / 10)
            {
                value = TimeSpan.FromTicks((long)micro * 10);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>A Python-style <c>repr</c> of a string: single quotes unless it holds one and no double quote.</summary>
    public static string StrRepr(string text)
    {
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var sb = new StringBuilder(text.Length + 2).Append(quote);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c == quote)
                    {
                        sb.Append('\\').Append(c);
                    }
                    else if (c < 0x20 || c == 0x7f)
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append(quote).ToString();
    }

    private static long Microseconds(TimeSpan value) => value.Ticks / 10;
}
