namespace Takler.Server.Jobs;

/// <summary>Where a task's script was found, in which dialect it is written, and every path tried.</summary>
/// <param name="Path">The script, or null when none of <paramref name="Tried"/> exists.</param>
/// <param name="Dialect">The pre-processing dialect, from the script's extension.</param>
/// <param name="Tried">The candidate paths, in the order they were tried.</param>
public sealed record ScriptLocation(string? Path, ScriptDialect Dialect, IReadOnlyList<string> Tried)
{
    /// <summary>True when a script was found.</summary>
    public bool Found => Path is not null;

    /// <summary>The failure reason: <c>no script: path1, path2, ...</c>.</summary>
    public string NoScriptReason => $"no script: {string.Join(", ", Tried)}";
}
