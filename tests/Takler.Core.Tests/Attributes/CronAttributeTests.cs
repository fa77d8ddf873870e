using Takler.Core.Attributes;

namespace Takler.Core.Tests.Attributes;

public class CronAttributeTests
{
    private static TimeSeries Series(string text) => TimeSeries.Parse(text.Split(' '));

    private static DateTime D(string text) => DateTime.ParseExact(text, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Cron_without_options_runs_every_day_and_moves_to_tomorrow_after_the_slot()
    {
        var cron = new CronAttribute(Series("23:00"));
        Assert.Equal(D("2024-01-08 23:00"), cron.FirstSlotAtOrAfter(D("2024-01-08 22:59")));
        Assert.Equal(D("2024-01-09 23:00"), cron.FirstSlotAtOrAfter(D("2024-01-08 23:01")));
    }

    [Fact]
    public void Cron_week_days_pick_the_next_allowed_day()
    {
        // -w 0,2: Sunday and Tuesday; 2024-01-08 is a Monday.
        var cron = new CronAttribute(Series("11:00"), weekDays: [0, 2]);
        Assert.Equal(D("2024-01-09 11:00"), cron.FirstSlotAtOrAfter(D("2024-01-08 12:00")));
        Assert.Equal(D("2024-01-14 11:00"), cron.FirstSlotAtOrAfter(D("2024-01-09 11:01")));
    }

    [Fact]
    public void Cron_days_of_month_skip_months_without_that_day()
    {
        var cron = new CronAttribute(Series("02:00"), daysOfMonth: [31]);
        Assert.Equal(D("2024-03-31 02:00"), cron.FirstSlotAtOrAfter(D("2024-02-01 00:00")));
        Assert.Equal(D("2024-05-31 02:00"), cron.FirstSlotAtOrAfter(D("2024-03-31 02:01")));
    }

    [Fact]
    public void Cron_last_day_of_month_follows_february_in_leap_and_common_years()
    {
        var cron = new CronAttribute(Series("23:00"), lastDayOfMonth: true);
        Assert.Equal(D("2024-02-29 23:00"), cron.FirstSlotAtOrAfter(D("2024-02-10 00:00")));
        Assert.Equal(D("2025-02-28 23:00"), cron.FirstSlotAtOrAfter(D("2025-02-10 00:00")));
        Assert.Equal(D("2024-03-31 23:00"), cron.FirstSlotAtOrAfter(D("2024-02-29 23:01")));
    }

    [Fact]
    public void Cron_first_and_last_of_month_together()
    {
        var cron = new CronAttribute(Series("23:00"), daysOfMonth: [1], lastDayOfMonth: true);
        Assert.Equal(D("2024-04-30 23:00"), cron.FirstSlotAtOrAfter(D("2024-04-02 00:00")));
        Assert.Equal(D("2024-05-01 23:00"), cron.FirstSlotAtOrAfter(D("2024-04-30 23:01")));
    }

    [Fact]
    public void Cron_months_restrict_runs_to_those_months()
    {
        // -m 1 -d 1 14:00: every first of January.
        var cron = new CronAttribute(Series("14:00"), daysOfMonth: [1], months: [1]);
        Assert.Equal(D("2025-01-01 14:00"), cron.FirstSlotAtOrAfter(D("2024-01-01 14:01")));
    }

    [Fact]
    public void Cron_series_runs_each_slot_then_the_first_slot_of_the_next_allowed_day()
    {
        var cron = new CronAttribute(Series("08:00 12:00 01:00"), weekDays: [1]);
        Assert.Equal(D("2024-01-08 10:00"), cron.FirstSlotAtOrAfter(D("2024-01-08 09:01")));
        Assert.Equal(D("2024-01-15 08:00"), cron.FirstSlotAtOrAfter(D("2024-01-08 12:01")));
    }

    [Fact]
    public void Cron_rejects_out_of_range_days_and_months()
    {
        Assert.Throws<TaklerException>(() => new CronAttribute(Series("01:00"), weekDays: [7]));
        Assert.Throws<TaklerException>(() => new CronAttribute(Series("01:00"), months: [13]));
    }
}
