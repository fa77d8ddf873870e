using System.Text;
using Takler.Core.Definitions.TaklerJson;

namespace Takler.Core.Tests.Definitions.TaklerJson;

public class PythonFormatTests
{
    [Theory]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(35.024602, "35.024602")]
    [InlineData(10.00996, "10.00996")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(210.0, "210.0")]
    [InlineData(123456789.123, "123456789.123")]
    [InlineData(1e22, "1e+22")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Float_repr_is_python_repr(double value, string expected)
    {
        Assert.Equal(expected, PythonFormat.FloatRepr(value));
    }

    [Fact]
    public void Strings_are_escaped_as_json_dumps_with_ensure_ascii()
    {
        var sb = new StringBuilder();
        var w = new PythonJsonWriter(sb);
        w.StartObject();
        w.Property("a", "é😀\u007f\n\"\\\u0001\t/<>&\u2028");
        w.EndObject();

        Assert.Equal("{\"a\": \"\\u00e9\\ud83d\\ude00\\u007f\\n\\\"\\\\\\u0001\\t/<>&\\u2028\"}", sb.ToString());
    }

    [Fact]
    public void Indented_output_has_python_spacing_and_empty_containers_stay_closed()
    {
        var sb = new StringBuilder();
        var w = new PythonJsonWriter(sb, indent: 2);
        w.StartObject();
        w.PropertyName("a");
        w.StartArray();
        w.EndArray();
        w.PropertyName("b");
        w.StartArray();
        w.Number(1);
        w.StartObject();
        w.EndObject();
        w.EndArray();
        w.EndObject();

        Assert.Equal("{\n  \"a\": [],\n  \"b\": [\n    1,\n    {}\n  ]\n}", sb.ToString());
    }

    [Fact]
    public void Isoformat_writes_microseconds_only_when_not_zero()
    {
        Assert.Equal("2026-11-22T12:06:51.756970", PythonFormat.IsoFormat(new DateTime(2026, 11, 22, 12, 6, 51).AddTicks(7569700)));
        Assert.Equal("2024-01-01T00:00:00", PythonFormat.IsoFormat(new DateTime(2024, 1, 1)));
    }

    [Theory]
    [InlineData("35.024602", 35_024_602L)]
    [InlineData("1e-06", 1L)]
    [InlineData("34560000.000003", 34_560_000_000_003L)]
    [InlineData("-1.5", -1_500_000L)]
    [InlineData("0", 0L)]
    public void Seconds_round_trip_through_timedelta(string text, long microseconds)
    {
        Assert.True(PythonFormat.TryParseSeconds(text, out var span));
        Assert.Equal(microseconds * 10, span.Ticks);
        Assert.Equal(text == "0" ? "0.0" : text, PythonFormat.TotalSeconds(span));
    }
}
