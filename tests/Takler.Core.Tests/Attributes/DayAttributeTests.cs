using Takler.Core.Attributes;

namespace Takler.Core.Tests.Attributes;

public class DayAttributeTests
{
    [Fact]
    public void Next_occurrence_is_today_when_it_is_that_day()
    {
        var monday = new DateOnly(2024, 1, 8);
        Assert.Equal(monday, DayAttribute.Parse("monday").FirstMatchOnOrAfter(monday));
        Assert.Equal(new DateOnly(2024, 1, 14), DayAttribute.Parse("sunday").FirstMatchOnOrAfter(monday));
        Assert.Equal(new DateOnly(2024, 1, 15), DayAttribute.Parse("monday").FirstMatchOnOrAfter(monday.AddDays(1)));
    }

    [Fact]
    public void Unknown_day_names_are_rejected()
    {
        Assert.Throws<TaklerException>(() => DayAttribute.Parse("mon"));
    }
}
