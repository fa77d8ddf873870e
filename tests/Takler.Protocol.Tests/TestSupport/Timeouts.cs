namespace Takler.Protocol.Tests.TestSupport;

/// <summary>Upper bounds for waiting on events in tests; a test never sleeps to wait for a state.</summary>
internal static class Timeouts
{
    public static readonly TimeSpan Event = TimeSpan.FromSeconds(10);

    public static DateTimeOffset Deadline(TimeSpan fromNow) => TimeProvider.System.GetUtcNow() + fromNow;
}
