namespace Takler.Core.Attributes;

/// <summary>
/// An ecFlow attribute that is kept and written back but has no behaviour here yet
/// (`autocancel`, `autoarchive`, `autorestore`, `zombie`, `verify`, `queue`, `generic`, `aviso`, `mirror`).
/// <see cref="Arguments"/> is the rest of its line, verbatim. A block (ecFlow's `alias NAME ... endalias`) also has
/// its inner <see cref="Lines"/>, verbatim and trimmed.
/// </summary>
public sealed record KeptAttribute(string Keyword, string Arguments)
{
    /// <summary>The lines inside a block attribute (`alias`), without the closing `endalias`; null for a one-line attribute.</summary>
    public IReadOnlyList<string>? Lines { get; init; }

    public override string ToString() => Arguments.Length == 0 ? Keyword : $"{Keyword} {Arguments}";
}
