using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Scheduling;

/// <summary>
/// Evaluates trigger and complete expressions for the scheduler. The scheduler never parses expressions itself:
/// it asks for the value (with the failing sub-term for `why`) and for the nodes an expression reads, which feed
/// its dependents index so that a change re-evaluates only the holders that read the changed node.
/// </summary>
public interface IExpressionEvaluator
{
    /// <summary>
    /// The value of <paramref name="expression"/> (a trigger or complete of <paramref name="holder"/>). A reference
    /// that does not bind is reported as <see cref="ExpressionResult.Broken"/>, not thrown. The failing sub-terms of a
    /// false expression are put in words only when <paramref name="explain"/> (for `why`), not on every pass.
    /// </summary>
    ExpressionResult Evaluate(Node holder, ExpressionAttribute expression, bool explain);

    /// <summary>
    /// The nodes whose state (status, events, meters, labels, repeat, parameters) the expression reads. An expression
    /// that reads a flow's calendar variables (DATE, TIME, DOW, ...) should include the flow, so it is re-evaluated
    /// as the calendar moves.
    /// </summary>
    IReadOnlyCollection<Node> Dependencies(Node holder, ExpressionAttribute expression);

    /// <summary>
    /// Adds <see cref="Dependencies"/> to <paramref name="into"/> (a node may be added twice). The scheduler's rebuild asks this of every expression
    /// at once: an evaluator can then spare the collection it would make (and keep) for each.
    /// </summary>
    void AddDependencies(Node holder, ExpressionAttribute expression, List<Node> into) =>
        into.AddRange(Dependencies(holder, expression));
}
