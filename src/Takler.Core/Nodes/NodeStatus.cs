namespace Takler.Core.Nodes;

/// <summary>The status of a node. The numeric values are ecFlow's ordinals, used by `&lt;`/`&gt;` in triggers.</summary>
public enum NodeStatus
{
    Unknown = 0,
    Complete = 1,
    Queued = 2,
    Aborted = 3,
    Submitted = 4,
    Active = 5,
}

/// <summary>Conversions and ordering of <see cref="NodeStatus"/>.</summary>
public static class NodeStatuses
{
    /// <summary>All statuses, in ecFlow ordinal order.</summary>
    public static IReadOnlyList<NodeStatus> All { get; } =
        [NodeStatus.Unknown, NodeStatus.Complete, NodeStatus.Queued, NodeStatus.Aborted, NodeStatus.Submitted, NodeStatus.Active];

    /// <summary>Lower-case name as printed (`queued`).</summary>
    public static string Name(this NodeStatus status) => status switch
    {
        NodeStatus.Unknown => "unknown",
        NodeStatus.Complete => "complete",
        NodeStatus.Queued => "queued",
        NodeStatus.Aborted => "aborted",
        NodeStatus.Submitted => "submitted",
        NodeStatus.Active => "active",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>Parses a status name, case-insensitively.</summary>
    public static bool TryParse(string text, out NodeStatus status)
    {
        switch (text.ToLowerInvariant())
        {
            case "unknown": status = NodeStatus.Unknown; return true;
            case "complete": status = NodeStatus.Complete; return true;
            case "queued": status = NodeStatus.Queued; return true;
            case "aborted": status = NodeStatus.Aborted; return true;
            case "submitted": status = NodeStatus.Submitted; return true;
            case "active": status = NodeStatus.Active; return true;
            default: status = NodeStatus.Unknown; return false;
        }
    }

    /// <summary>
    /// How much a child's status weighs in its family's status:
    /// aborted &gt; active &gt; submitted &gt; queued &gt; complete &gt; unknown.
    /// </summary>
    public static int Significance(this NodeStatus status) => status switch
    {
        NodeStatus.Unknown => 0,
        NodeStatus.Complete => 1,
        NodeStatus.Queued => 2,
        NodeStatus.Submitted => 3,
        NodeStatus.Active => 4,
        NodeStatus.Aborted => 5,
        _ => 0,
    };

    /// <summary>The integer Takler's JSON uses (unknown 1 ... aborted 6).</summary>
    public static int ToTaklerInt(this NodeStatus status) => status switch
    {
        NodeStatus.Unknown => 1,
        NodeStatus.Complete => 2,
        NodeStatus.Queued => 3,
        NodeStatus.Submitted => 4,
        NodeStatus.Active => 5,
        NodeStatus.Aborted => 6,
        _ => 1,
    };

    /// <summary>Reads Takler's JSON integer; false outside 1..6.</summary>
    public static bool TryFromTaklerInt(long value, out NodeStatus status)
    {
        status = value switch
        {
            1 => NodeStatus.Unknown,
            2 => NodeStatus.Complete,
            3 => NodeStatus.Queued,
            4 => NodeStatus.Submitted,
            5 => NodeStatus.Active,
            6 => NodeStatus.Aborted,
            _ => (NodeStatus)(-1),
        };
        return value is >= 1 and <= 6;
    }
}
