using Takler.Core.Attributes;

namespace Takler.Core.Tests.Attributes;

public class RepeatTests
{
    private static List<string> Values(Repeat repeat)
    {
        var values = new List<string> { repeat.ValueText };
        while (repeat.Advance())
        {
            values.Add(repeat.ValueText);
        }

        return values;
    }

    [Fact]
    public void Integer_repeat_steps_to_its_end_then_is_exhausted()
    {
        var repeat = new RepeatInteger("N", 1, 7, 3);
        Assert.Equal(["1", "4", "7"], Values(repeat));
        Assert.True(repeat.IsExhausted);
        repeat.Reset();
        Assert.Equal("1", repeat.ValueText);
        Assert.False(repeat.IsExhausted);
    }

    [Fact]
    public void Date_repeat_crosses_month_ends_and_publishes_date_parts()
    {
        var repeat = new RepeatDate("YMD", 20240228, 20240302);
        Assert.Equal(["20240228", "20240229", "20240301", "20240302"], Values(repeat));
        Assert.Contains(new KeyValuePair<string, string>("YMD_MM", "03"), repeat.GeneratedParameters());
    }

    [Fact]
    public void Negative_date_step_goes_backwards()
    {
        Assert.Equal(["20240102", "20231231"], Values(new RepeatDate("D", 20240102, 20231231, -2)));
    }

    [Fact]
    public void String_enumerated_and_datelist_repeats_walk_their_values()
    {
        Assert.Equal(["a", "b"], Values(new RepeatString("S", ["a", "b"])));
        Assert.Equal(["10", "x"], Values(new RepeatEnumerated("E", ["10", "x"])));
        Assert.Equal(["20240105", "20240101"], Values(new RepeatDateList("L", [20240105, 20240101])));
    }

    [Fact]
    public void Datetime_repeat_steps_by_a_duration()
    {
        var repeat = new RepeatDateTime("DT", new DateTime(2024, 1, 1, 0, 0, 0), new DateTime(2024, 1, 1, 12, 0, 0), TimeSpan.FromHours(6));
        Assert.Equal(["20240101T000000", "20240101T060000", "20240101T120000"], Values(repeat));
    }

    [Fact]
    public void Day_repeat_never_ends()
    {
        var repeat = new RepeatDay();
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(repeat.Advance());
        }

        Assert.False(repeat.IsExhausted);
    }
}
