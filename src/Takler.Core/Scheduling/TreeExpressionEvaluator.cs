using Takler.Core.Attributes;
using Takler.Core.Expressions;
using Takler.Core.Nodes;

namespace Takler.Core.Scheduling;

/// <summary>
/// The scheduler's view of the expression language: evaluates bound triggers and complete expressions, explains why
/// one is false, and lists what each reads. Bindings hold direct node references, so after any change of the tree's
/// shape every binding is dropped and redone on next use.
/// </summary>
public sealed class TreeExpressionEvaluator : IExpressionEvaluator, INodeObserver
{
    private readonly Bunch _bunch;
    private bool _stale = true;

    /// <summary>Creates the evaluator and registers it for tree changes (before the scheduler, which should be created after it).</summary>
    public TreeExpressionEvaluator(Bunch bunch)
    {
        _bunch = bunch;
        bunch.Observer = bunch.Observer is null ? this : new CompositeNodeObserver(bunch.Observer, this);
    }

    public ExpressionResult Evaluate(Node holder, ExpressionAttribute expression, bool explain)
    {
        var bound = BoundFor(holder, expression);
        if (!bound.IsResolved)
        {
            // The scheduler names the node and the role ("trigger cannot be evaluated: ..."): say which text and why.
            return ExpressionResult.BrokenBecause(string.Join("; ", bound.Problems.Select(p => $"'{p.Expression}': {p.Reason}")));
        }

        if (ExpressionEvaluator.Evaluate(bound))
        {
            return ExpressionResult.True;
        }

        return ExpressionResult.False(explain ? string.Join("; ", ExpressionEvaluator.Explain(bound)) : null);
    }

    public IReadOnlyCollection<Node> Dependencies(Node holder, ExpressionAttribute expression) =>
        BoundFor(holder, expression).Dependencies;

    public void AddDependencies(Node holder, ExpressionAttribute expression, List<Node> into) =>
        BoundFor(holder, expression).AddDependencies(into);

    void INodeObserver.StatusChanged(Node node, NodeStatus old)
    {
    }

    void INodeObserver.AttributeChanged(Node node)
    {
    }

    void INodeObserver.TreeChanged(NodeContainer? container) => _stale = true;

    private BoundExpression BoundFor(Node holder, ExpressionAttribute expression)
    {
        if (_stale)
        {
            // The scheduler's rebuild asks for every expression next: bind them all at once, which parses each
            // distinct text once (a generated 100k-task suite repeats a few hundred texts) instead of once per holder.
            _stale = false;
            ExpressionBinder.BindAll(_bunch);
        }

        return ExpressionBinder.GetOrBind(holder, expression);
    }
}
