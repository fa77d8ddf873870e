namespace Takler.Core.Expressions;

/// <summary>The outcome of binding every expression of a tree: how many were bound and every problem found.</summary>
public sealed class BindResult
{
    public BindResult(int expressionCount, IReadOnlyList<BindProblem> problems)
    {
        ExpressionCount = expressionCount;
        Problems = problems;
    }

    /// <summary>How many triggers and complete expressions were bound (with or without problems).</summary>
    public int ExpressionCount { get; }

    /// <summary>Every problem, in tree order.</summary>
    public IReadOnlyList<BindProblem> Problems { get; }

    /// <summary>Whether every expression parsed and every reference resolved.</summary>
    public bool Success => Problems.Count == 0;

    /// <summary>Throws one <see cref="TaklerException"/> listing every problem, one a line, when there are any.</summary>
    public void ThrowIfFailed()
    {
        if (!Success)
        {
            throw new TaklerException(Problems[0].Code, string.Join('\n', Problems.Select(p => p.Message)));
        }
    }

    public override string ToString() =>
        Success ? $"{ExpressionCount} expressions bound" : string.Join('\n', Problems.Select(p => p.Message));
}
