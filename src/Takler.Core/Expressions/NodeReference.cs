namespace Takler.Core.Expressions;

/// <summary>
/// A node, by path: absolute, `./x`, `../x` or a bare name (relative paths start at the holder's parent). Compared,
/// it is its status (ecFlow's ordinal); alone as a condition it means `path == complete`.
/// </summary>
public sealed record NodeReference(string Path, int Start, int Length) : ExpressionNode(Start, Length)
{
    public override string ToString() => Path;
}
