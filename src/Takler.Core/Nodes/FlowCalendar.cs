using System.Globalization;

namespace Takler.Core.Nodes;

/// <summary>
/// A flow's calendar, as Takler keeps it: the flow time (local, naive) that the clock attribute derives from the
/// real time, when it began, and the last update. All fields are null until the flow begins.
/// </summary>
public sealed class FlowCalendar
{
    /// <summary>Flow time at begin.</summary>
    public DateTime? InitialTime { get; set; }

    /// <summary>The current flow time.</summary>
    public DateTime? FlowTime { get; set; }

    /// <summary>Flow time elapsed since begin.</summary>
    public TimeSpan? Duration { get; set; }

    /// <summary>The time between the last two updates.</summary>
    public TimeSpan? Increment { get; set; }

    /// <summary>Real time at begin.</summary>
    public DateTime? InitialRealTime { get; set; }

    /// <summary>Real time at the last update.</summary>
    public DateTime? LastRealTime { get; set; }

    /// <summary>Starts the calendar: real time <paramref name="realTime"/> is flow time <paramref name="flowTime"/>.</summary>
    public void Begin(DateTime realTime, DateTime flowTime)
    {
        InitialRealTime = realTime;
        LastRealTime = realTime;
        InitialTime = flowTime;
        FlowTime = flowTime;
        Duration = TimeSpan.Zero;
        Increment = TimeSpan.Zero;
    }

    /// <summary>Moves the calendar to <paramref name="realTime"/>.</summary>
    public void Update(DateTime realTime, DateTime flowTime)
    {
        if (InitialTime is null)
        {
            Begin(realTime, flowTime);
            return;
        }

        Increment = realTime - (LastRealTime ?? realTime);
        LastRealTime = realTime;
        FlowTime = flowTime;
        Duration = flowTime - InitialTime.Value;
    }

    /// <summary>Forgets everything (a flow not begun).</summary>
    public void Clear()
    {
        InitialTime = FlowTime = InitialRealTime = LastRealTime = null;
        Duration = Increment = null;
    }

    /// <summary>`yyyy-MM-dd` of the flow time, or null.</summary>
    public string? DateText => FlowTime?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>`HH:mm` of the flow time, or null.</summary>
    public string? TimeText => FlowTime?.ToString("HH:mm", CultureInfo.InvariantCulture);
}
