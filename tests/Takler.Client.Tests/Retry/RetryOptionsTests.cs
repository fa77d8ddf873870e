using Takler.Client.Retry;
using Takler.Protocol.Grpc;

namespace Takler.Client.Tests.Retry;

public sealed class RetryOptionsTests
{
    private static readonly RetryOptions Options = new();

    [Fact]
    public void Defaults_are_Takler_contract()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), Options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(86400), Options.DefaultWindow(CommandKind.Child));
        Assert.Equal(TimeSpan.FromSeconds(60), Options.DefaultWindow(CommandKind.Control));
        Assert.Equal(TimeSpan.FromSeconds(60), Options.DefaultWindow(CommandKind.Query));
    }

    [Fact]
    public void Backoff_doubles_from_one_second_up_to_sixty()
    {
        var seconds = Enumerable.Range(1, 10).Select(n => Options.Backoff(n).TotalSeconds).ToArray();
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60, 60], seconds);
        Assert.Equal(60, Options.Backoff(10_000).TotalSeconds);
    }

    [Fact]
    public void Next_delay_is_clipped_to_the_window_and_null_when_it_is_used_up()
    {
        Assert.Equal(TimeSpan.FromSeconds(4), Options.NextDelay(3, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(60)));
        Assert.Equal(TimeSpan.FromSeconds(0.5), Options.NextDelay(3, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(3)));
        Assert.Null(Options.NextDelay(1, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)));
        Assert.Null(Options.NextDelay(1, TimeSpan.Zero, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("3", 3)]
    [InlineData(" 42\n", 42)]
    [InlineData("007", 7)]
    public void Takler_timeout_of_ascii_digits_overrides_every_kind(string raw, int seconds)
    {
        var warnings = new List<string>();
        foreach (var kind in Enum.GetValues<CommandKind>())
        {
            Assert.Equal(TimeSpan.FromSeconds(seconds), Options.ResolveWindow(kind, raw, warnings.Add));
        }

        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("", "''")]
    [InlineData("-1", "'-1'")]
    [InlineData("1.5", "'1.5'")]
    [InlineData("abc", "'abc'")]
    [InlineData("  ", "'  '")]
    [InlineData("٣", "'٣'")]
    [InlineData("it's", "\"it's\"")]
    public void Invalid_takler_timeout_warns_once_and_falls_back(string raw, string repr)
    {
        var warnings = new List<string>();
        Assert.Equal(TimeSpan.FromSeconds(60), Options.ResolveWindow(CommandKind.Control, raw, warnings.Add));
        Assert.Equal([$"invalid TAKLER_TIMEOUT value {repr}; falling back to 60 seconds for control commands."], warnings);

        warnings.Clear();
        Assert.Equal(TimeSpan.FromSeconds(86400), Options.ResolveWindow(CommandKind.Child, raw, warnings.Add));
        Assert.Equal([$"invalid TAKLER_TIMEOUT value {repr}; falling back to 86400 seconds for child commands."], warnings);
    }

    [Fact]
    public void Unset_takler_timeout_uses_the_default_silently()
    {
        var warnings = new List<string>();
        Assert.Equal(TimeSpan.FromSeconds(60), Options.ResolveWindow(CommandKind.Query, null, warnings.Add));
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.DeadlineExceeded, true)]
    [InlineData(StatusCode.ResourceExhausted, true)]
    [InlineData(StatusCode.Unknown, true)]
    [InlineData(StatusCode.InvalidArgument, false)]
    [InlineData(StatusCode.NotFound, false)]
    [InlineData(StatusCode.Unimplemented, false)]
    [InlineData(StatusCode.Internal, false)]
    [InlineData(StatusCode.PermissionDenied, false)]
    public void Retryable_statuses_are_the_four_of_the_contract(StatusCode code, bool retryable) =>
        Assert.Equal(retryable, RetryOptions.IsRetryable(code));
}
