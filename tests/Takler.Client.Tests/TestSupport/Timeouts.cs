namespace Takler.Client.Tests.TestSupport;

/// <summary>Upper bounds for waiting on events; a test never sleeps to wait for a state.</summary>
public static class Timeouts
{
    public static readonly TimeSpan Event = TimeSpan.FromSeconds(20);
}
