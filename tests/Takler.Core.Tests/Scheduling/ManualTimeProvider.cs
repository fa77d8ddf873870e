namespace Takler.Core.Tests.Scheduling;

/// <summary>A clock the test moves by hand; local time is in the zone given (UTC by default).</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly TimeZoneInfo _zone;
    private DateTimeOffset _now;

    public ManualTimeProvider(DateTimeOffset start, TimeZoneInfo? zone = null)
    {
        _now = start;
        _zone = zone ?? TimeZoneInfo.Utc;
    }

    public override TimeZoneInfo LocalTimeZone => _zone;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTimeOffset now) => _now = now;

    public void Advance(TimeSpan by) => _now += by;
}
