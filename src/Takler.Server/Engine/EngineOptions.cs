namespace Takler.Server.Engine;

/// <summary>Settings of the <see cref="SchedulerEngine"/>.</summary>
public sealed record EngineOptions
{
    /// <summary>The safety-net scheduling pass, which also logs `main loop...`. The default value is 10 seconds.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most commands applied in one batch before replies and scheduling. The default value is 512.</summary>
    public int MaxBatch { get; init; } = 512;
}
