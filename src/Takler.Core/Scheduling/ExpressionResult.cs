namespace Takler.Core.Scheduling;

/// <summary>The outcome of evaluating a trigger or complete expression.</summary>
/// <param name="Value">Whether the expression holds.</param>
/// <param name="Broken">The expression could not be evaluated (a reference does not bind, a syntax error): the holder is held.</param>
/// <param name="Explanation">For a false or broken expression, the failing sub-term in words (`../t1 == complete (../t1 is active)`).</param>
public readonly record struct ExpressionResult(bool Value, bool Broken, string? Explanation)
{
    /// <summary>The expression holds.</summary>
    public static ExpressionResult True { get; } = new(true, false, null);

    /// <summary>The expression is false because of <paramref name="explanation"/>.</summary>
    public static ExpressionResult False(string? explanation) => new(false, false, explanation);

    /// <summary>The expression cannot be evaluated, because of <paramref name="explanation"/>.</summary>
    public static ExpressionResult BrokenBecause(string explanation) => new(false, true, explanation);
}
