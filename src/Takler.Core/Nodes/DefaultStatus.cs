namespace Takler.Core.Nodes;

/// <summary>The status a node takes on begin and requeue (ecFlow's `defstatus`). The default is <see cref="Queued"/>.</summary>
public enum DefaultStatus
{
    Queued,
    Complete,
    /// <summary>Queued, with the suspended flag set.</summary>
    Suspended,
    Aborted,
    Active,
    Unknown,
    Submitted,
}

/// <summary>Conversions of <see cref="DefaultStatus"/>.</summary>
public static class DefaultStatuses
{
    /// <summary>The status a node is given by this default.</summary>
    public static NodeStatus ToStatus(this DefaultStatus value) => value switch
    {
        DefaultStatus.Complete => NodeStatus.Complete,
        DefaultStatus.Aborted => NodeStatus.Aborted,
        DefaultStatus.Active => NodeStatus.Active,
        DefaultStatus.Unknown => NodeStatus.Unknown,
        DefaultStatus.Submitted => NodeStatus.Submitted,
        _ => NodeStatus.Queued,
    };

    /// <summary>The `defstatus` keyword.</summary>
    public static string Name(this DefaultStatus value) => value switch
    {
        DefaultStatus.Complete => "complete",
        DefaultStatus.Suspended => "suspended",
        DefaultStatus.Aborted => "aborted",
        DefaultStatus.Active => "active",
        DefaultStatus.Unknown => "unknown",
        DefaultStatus.Submitted => "submitted",
        _ => "queued",
    };

    /// <summary>Parses a `defstatus` keyword.</summary>
    public static bool TryParse(string text, out DefaultStatus value)
    {
        switch (text)
        {
            case "queued": value = DefaultStatus.Queued; return true;
            case "complete": value = DefaultStatus.Complete; return true;
            case "suspended": value = DefaultStatus.Suspended; return true;
            case "aborted": value = DefaultStatus.Aborted; return true;
            case "active": value = DefaultStatus.Active; return true;
            case "unknown": value = DefaultStatus.Unknown; return true;
            case "submitted": value = DefaultStatus.Submitted; return true;
            default: value = DefaultStatus.Queued; return false;
        }
    }
}
