namespace Takler.Core.Attributes;

/// <summary>
/// An ecFlow attribute that is kept and written back but has no behaviour here yet
/// (`autocancel`, `autoarchive`, `autorestore`, `zombie`, `verify`, `queue`, `generic`, `aviso`, `mirror`).
/// <see cref="Arguments"/> is the rest of its line, verbatim.
/// </summary>
public sealed record KeptAttribute(string Keyword, string Arguments)
{
    public override string ToString() => Arguments.Length == 0 ? Keyword : $"{Keyword} {Arguments}";
}
