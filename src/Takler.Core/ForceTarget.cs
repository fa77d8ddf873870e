using Takler.Core.Nodes;

namespace Takler.Core;

/// <summary>What `force` sets: a status, or an event's value (`set`/`clear`).</summary>
public readonly record struct ForceTarget
{
    private ForceTarget(NodeStatus? status, bool? eventValue)
    {
        Status = status;
        EventValue = eventValue;
    }

    /// <summary>The status to force, or null for set/clear.</summary>
    public NodeStatus? Status { get; }

    /// <summary>True for `set`, false for `clear`, null for a status.</summary>
    public bool? EventValue { get; }

    public static ForceTarget To(NodeStatus status) => new(status, null);

    public static ForceTarget Set { get; } = new(null, true);

    public static ForceTarget Clear { get; } = new(null, false);

    /// <summary>Parses `complete`, `queued`, ..., `set`, `clear`.</summary>
    public static bool TryParse(string text, out ForceTarget target)
    {
        if (NodeStatuses.TryParse(text, out var status))
        {
            target = To(status);
            return true;
        }

        switch (text.ToLowerInvariant())
        {
            case "set": target = Set; return true;
            case "clear": target = Clear; return true;
            default: target = default; return false;
        }
    }

    public override string ToString() => Status is { } s ? s.Name() : EventValue == true ? "set" : "clear";
}
