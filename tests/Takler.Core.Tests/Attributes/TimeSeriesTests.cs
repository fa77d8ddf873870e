using Takler.Core.Attributes;

namespace Takler.Core.Tests.Attributes;

public class TimeSeriesTests
{
    private static TimeSeries Parse(string text) => TimeSeries.Parse(text.Split(' '));

    private static TimeSpan T(string hhmm) => TimeSeries.ParseClock(hhmm);

    [Fact]
    public void Single_time_is_the_first_slot_until_it_passes()
    {
        var series = Parse("10:00");
        Assert.Equal(T("10:00"), series.FirstSlotAtOrAfter(T("09:59")));
        Assert.Equal(T("10:00"), series.FirstSlotAtOrAfter(T("10:00")));
        Assert.Null(series.FirstSlotAtOrAfter(T("10:01")));
        Assert.Equal(1, series.SlotCount);
    }

    [Fact]
    public void Series_slot_at_or_after_rounds_up_to_the_increment()
    {
        var series = Parse("10:00 20:00 01:30");
        Assert.Equal(T("10:00"), series.FirstSlotAtOrAfter(T("00:00")));
        Assert.Equal(T("11:30"), series.FirstSlotAtOrAfter(T("10:01")));
        Assert.Equal(T("11:30"), series.FirstSlotAtOrAfter(T("11:30")));
        Assert.Equal(T("19:00"), series.FirstSlotAtOrAfter(T("17:31")));
        Assert.Null(series.FirstSlotAtOrAfter(T("19:01")));
        Assert.Equal(7, series.SlotCount);
        Assert.Equal(2, series.IndexOf(T("13:00")));
    }

    [Fact]
    public void Relative_series_offsets_may_exceed_a_day()
    {
        var series = Parse("+00:10 30:00 12:00");
        Assert.True(series.Relative);
        Assert.Equal(T("12:10"), series.FirstSlotAtOrAfter(T("00:11")));
        Assert.Equal(TimeSpan.FromHours(24) + T("00:10"), series.FirstSlotAtOrAfter(T("12:11")));
    }
}
