using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Takler.Core.Scheduling;

namespace Takler.Core.Tests.Scheduling;

/// <summary>The real expression language (<see cref="TreeExpressionEvaluator"/>), counting its evaluations.</summary>
public sealed class CountingEvaluator(Bunch bunch) : IExpressionEvaluator
{
    private readonly TreeExpressionEvaluator _inner = new(bunch);

    /// <summary>How many times <see cref="Evaluate"/> ran.</summary>
    public int Evaluations { get; private set; }

    public ExpressionResult Evaluate(Node holder, ExpressionAttribute expression, bool explain)
    {
        Evaluations++;
        return _inner.Evaluate(holder, expression, explain);
    }

    public IReadOnlyCollection<Node> Dependencies(Node holder, ExpressionAttribute expression) =>
        _inner.Dependencies(holder, expression);
}
