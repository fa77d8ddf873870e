namespace Takler.Core.Expressions;

/// <summary>
/// An expression that cannot be bound: which node holds it, whether it is the trigger or the complete expression,
/// its text, the reference (or position) at fault and why. <see cref="Message"/> reads
/// `/f/t2: trigger '../x == complete': node ../x not found`.
/// </summary>
public sealed record BindProblem(BindProblemKind Kind, string HolderPath, string Role, string Expression, string Reference, string Reason)
{
    /// <summary>The error code: <see cref="TaklerErrorCode.ExpressionSyntax"/> for syntax, else <see cref="TaklerErrorCode.NodeNotFound"/>.</summary>
    public TaklerErrorCode Code => Kind == BindProblemKind.SyntaxError ? TaklerErrorCode.ExpressionSyntax : TaklerErrorCode.NodeNotFound;

    /// <summary>The problem in one line, with the holder and the expression.</summary>
    public string Message => $"{HolderPath}: {Role} '{Expression}': {Reason}";

    public override string ToString() => Message;
}
