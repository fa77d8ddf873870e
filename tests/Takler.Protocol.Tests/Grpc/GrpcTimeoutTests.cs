using Takler.Protocol.Grpc;

namespace Takler.Protocol.Tests.Grpc;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("10S", 100_000_000L)]
    [InlineData("250m", 2_500_000L)]
    [InlineData("7u", 70L)]
    [InlineData("300n", 3L)]
    [InlineData("301n", 4L)]
    [InlineData("0S", 0L)]
    [InlineData("99999999H", 99_999_999L * 36_000_000_000L)]
    public void Parse_reads_each_unit(string value, long expectedTicks)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout));
        Assert.Equal(expectedTicks, timeout.Ticks);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("10s")]
    [InlineData("10x")]
    [InlineData("-1S")]
    [InlineData(" 1S")]
    [InlineData("1.5S")]
    [InlineData("123456789S")]
    public void Parse_refuses_what_the_grammar_does_not_allow(string? value) =>
        Assert.False(GrpcTimeout.TryParse(value, out _));

    [Theory]
    [InlineData(0L, "0n")]
    [InlineData(-5L, "0n")]
    [InlineData(1L, "100n")]
    [InlineData(999_999L, "99999900n")]
    [InlineData(1_000_000L, "100000u")]
    [InlineData(100_000_000L, "10000000u")]
    [InlineData(1_000_000_000L, "100000m")]
    [InlineData(1_000_000_001L, "100001m")]
    public void Format_uses_the_finest_unit_that_fits_eight_digits(long ticks, string expected) =>
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromTicks(ticks)));

    [Fact]
    public void Format_of_ten_seconds_round_trips()
    {
        var text = GrpcTimeout.Format(TimeSpan.FromSeconds(10));
        Assert.True(GrpcTimeout.TryParse(text, out var back));
        Assert.Equal(TimeSpan.FromSeconds(10), back);
    }

    [Fact]
    public void Format_never_shortens_a_timeout()
    {
        foreach (var ticks in new[] { 3L, 123_456_789L, 987_654_321_987L, TimeSpan.FromDays(400).Ticks + 1 })
        {
            var text = GrpcTimeout.Format(TimeSpan.FromTicks(ticks));
            Assert.True(text.Length <= 9, text);
            Assert.True(GrpcTimeout.TryParse(text, out var back), text);
            Assert.True(back.Ticks >= ticks, text);
        }
    }

    [Fact]
    public void Format_clamps_huge_timeouts_to_the_largest_value() =>
        Assert.Equal("99999999H", GrpcTimeout.Format(TimeSpan.MaxValue));
}
