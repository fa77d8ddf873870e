using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Scheduling;

/// <summary>
/// ecFlow's `late -s +hh:mm -a hh:mm -c [+]hh:mm` on tasks. A late on a family or flow applies to the tasks below;
/// each aspect (-s, -a, -c) defined lower down overrides the same aspect above.
/// <list type="bullet">
/// <item>-s: the task stays submitted longer than this (from <see cref="Task.SubmittedAt"/>).</item>
/// <item>-a: the task is still queued or submitted at this time of day (flow time).</item>
/// <item>-c +: the task is active longer than this (from <see cref="Task.ActiveAt"/>); -c without +: still active at this time of day.</item>
/// </list>
/// The flag only informs: it shows in `show` and `why` and is cleared by requeue.
/// </summary>
internal static class LateRules
{
    /// <summary>The late that applies to <paramref name="node"/>: its own aspects, completed by those inherited from above.</summary>
    public static LateAttribute? Effective(Node node)
    {
        LateAttribute? result = null;
        for (Node? n = node; n is not null; n = n.Parent)
        {
            result = Merge(result, n.Late);
        }

        return result;
    }

    /// <summary>Merges <paramref name="own"/> (nearer, wins) with <paramref name="inherited"/>.</summary>
    public static LateAttribute? Merge(LateAttribute? own, LateAttribute? inherited)
    {
        if (own is null || inherited is null)
        {
            return own ?? inherited;
        }

        if (own.Submitted is not null && own.Active is not null && own.Complete is not null)
        {
            return own;
        }

        var complete = own.Complete ?? inherited.Complete;
        var relative = own.Complete is not null ? own.CompleteRelative : inherited.CompleteRelative;
        return new LateAttribute(own.Submitted ?? inherited.Submitted, own.Active ?? inherited.Active, complete, relative);
    }

    /// <summary>
    /// The first instant at which the task, in its present status, is late by <paramref name="late"/>, with the
    /// reason in words; null when no aspect applies to its status.
    /// </summary>
    public static (DateTimeOffset At, string Reason)? Deadline(Task task, LateAttribute late, FlowClock clock, DateTimeOffset now)
    {
        (DateTimeOffset At, string Reason)? best = null;
        switch (task.Status)
        {
            case NodeStatus.Submitted:
                if (late.Submitted is { } s && task.SubmittedAt is { } submittedAt)
                {
                    best = Earliest(best, (submittedAt + s, $"submitted for more than {TimeSeries.Format(s)}"));
                }

                if (late.Active is { } a1)
                {
                    best = Earliest(best, (TimeOfDay(a1, clock, now), $"not active by {TimeSeries.Format(a1)}"));
                }

                break;
            case NodeStatus.Queued:
                if (late.Active is { } a2)
                {
                    best = Earliest(best, (TimeOfDay(a2, clock, now), $"not active by {TimeSeries.Format(a2)}"));
                }

                break;
            case NodeStatus.Active:
                if (late.Complete is { } c)
                {
                    if (late.CompleteRelative && task.ActiveAt is { } activeAt)
                    {
                        best = Earliest(best, (activeAt + c, $"active for more than {TimeSeries.Format(c)}"));
                    }
                    else if (!late.CompleteRelative)
                    {
                        best = Earliest(best, (TimeOfDay(c, clock, now), $"not complete by {TimeSeries.Format(c)}"));
                    }
                }

                break;
            default:
                break;
        }

        return best;
    }

    /// <summary>The instant the flow clock reaches <paramref name="timeOfDay"/> today, or now if it has.</summary>
    private static DateTimeOffset TimeOfDay(TimeSpan timeOfDay, FlowClock clock, DateTimeOffset now)
    {
        var flowNow = clock.ToFlowTime(now);
        return flowNow.TimeOfDay >= timeOfDay ? now : clock.ToInstant(flowNow.Date + timeOfDay);
    }

    private static (DateTimeOffset At, string Reason)? Earliest((DateTimeOffset At, string Reason)? a, (DateTimeOffset At, string Reason) b) =>
        a is { } x && x.At <= b.At ? x : b;
}
