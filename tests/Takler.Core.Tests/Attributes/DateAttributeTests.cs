using Takler.Core.Attributes;

namespace Takler.Core.Tests.Attributes;

public class DateAttributeTests
{
    [Fact]
    public void Full_date_matches_only_itself_and_never_once_past()
    {
        var date = DateAttribute.Parse("31.12.2024");
        Assert.Equal(new DateOnly(2024, 12, 31), date.FirstMatchOnOrAfter(new DateOnly(2024, 1, 1)));
        Assert.Null(date.FirstMatchOnOrAfter(new DateOnly(2025, 1, 1)));
    }

    [Fact]
    public void Wildcard_day_of_month_crosses_month_and_year_boundaries()
    {
        var date = DateAttribute.Parse("1.*.*");
        Assert.Equal(new DateOnly(2024, 2, 1), date.FirstMatchOnOrAfter(new DateOnly(2024, 1, 2)));
        Assert.Equal(new DateOnly(2025, 1, 1), date.FirstMatchOnOrAfter(new DateOnly(2024, 12, 2)));
    }

    [Fact]
    public void Thirty_first_skips_short_months()
    {
        var date = DateAttribute.Parse("31.*.*");
        Assert.Equal(new DateOnly(2024, 5, 31), date.FirstMatchOnOrAfter(new DateOnly(2024, 4, 1)));
    }

    [Fact]
    public void Twenty_ninth_of_february_waits_for_a_leap_year()
    {
        var date = DateAttribute.Parse("29.2.*");
        Assert.Equal(new DateOnly(2028, 2, 29), date.FirstMatchOnOrAfter(new DateOnly(2024, 3, 1)));
    }

    [Fact]
    public void Month_wildcard_in_a_past_year_never_matches()
    {
        Assert.Null(DateAttribute.Parse("*.10.2020").FirstMatchOnOrAfter(new DateOnly(2024, 1, 1)));
        Assert.Equal(new DateOnly(2024, 10, 1), DateAttribute.Parse("*.10.*").FirstMatchOnOrAfter(new DateOnly(2024, 1, 1)));
    }

    [Fact]
    public void Impossible_dates_are_rejected()
    {
        Assert.Throws<TaklerException>(() => DateAttribute.Parse("30.2.2024"));
        Assert.Throws<TaklerException>(() => DateAttribute.Parse("1.13.*"));
    }
}
