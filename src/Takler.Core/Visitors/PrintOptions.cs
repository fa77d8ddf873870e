namespace Takler.Core.Visitors;

/// <summary>What <see cref="PrintVisitor"/> prints besides the node lines. The defaults match Takler's `show`.</summary>
public sealed record PrintOptions
{
    /// <summary>Trigger and time lines. The default value is false.</summary>
    public bool ShowTrigger { get; init; }

    /// <summary>User and generated parameter lines. The default value is false.</summary>
    public bool ShowParameter { get; init; }

    /// <summary>Limit lines. The default value is true.</summary>
    public bool ShowLimit { get; init; } = true;

    /// <summary>Event lines. The default value is true.</summary>
    public bool ShowEvent { get; init; } = true;

    /// <summary>Meter lines. The default value is true.</summary>
    public bool ShowMeter { get; init; } = true;

    /// <summary>
    /// Generated parameters print with their live values; when false they print `'None'` as Takler's client does
    /// (it rebuilds the tree without a server). The default value is false.
    /// </summary>
    public bool LiveGeneratedValues { get; init; }

    /// <summary>Everything on (`--show-all`).</summary>
    public static PrintOptions All { get; } = new() { ShowTrigger = true, ShowParameter = true };
}
