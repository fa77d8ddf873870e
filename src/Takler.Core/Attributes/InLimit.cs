namespace Takler.Core.Attributes;

/// <summary>
/// `inlimit [-n] [-s] [path:]NAME [tokens]`: the node needs <see cref="Tokens"/> of a limit to run.
/// With no <see cref="Path"/> the limit is found by walking up the tree.
/// </summary>
public sealed record InLimit
{
    public InLimit(string name, string? path = null, int tokens = 1, bool limitFamilies = false, bool submissionOnly = false)
    {
        Nodes.NodeNames.Validate(name, "limit");
        if (tokens < 1)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"inlimit {name}: tokens must be at least 1, not {tokens}");
        }

        Name = name;
        Path = string.IsNullOrEmpty(path) ? null : path;
        Tokens = tokens;
        LimitFamilies = limitFamilies;
        SubmissionOnly = submissionOnly;
    }

    /// <summary>The limit's name.</summary>
    public string Name { get; }

    /// <summary>The path of the node holding the limit (absolute or relative), or null to search upwards.</summary>
    public string? Path { get; }

    /// <summary>Tokens taken per holder. The default value is 1.</summary>
    public int Tokens { get; }

    /// <summary>`-n`: the limit counts families below this node rather than tasks.</summary>
    public bool LimitFamilies { get; }

    /// <summary>`-s`: tokens are held only while submitted, released at init.</summary>
    public bool SubmissionOnly { get; }
}
