using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Expressions;

/// <summary>
/// Evaluates bound expressions, and says why one is false. Evaluation never throws: an expression that did not bind
/// (syntax error, unresolved reference) is false, division or remainder by zero gives 0, and arithmetic wraps.
/// The latch <see cref="ExpressionAttribute.Free"/> (free-dep) is the scheduler's business, not looked at here.
/// </summary>
public static class ExpressionEvaluator
{
    /// <summary>The value of a bound expression; false when it has problems.</summary>
    public static bool Evaluate(BoundExpression bound) => bound.IsResolved && bound.IsTrue();

    /// <summary>
    /// The value of <paramref name="holder"/>'s trigger or complete <paramref name="attribute"/>, parsing and binding
    /// it on first use (then cached on the attribute until a part is added or it is bound again).
    /// </summary>
    public static bool Evaluate(Node holder, ExpressionAttribute attribute) => Evaluate(ExpressionBinder.GetOrBind(holder, attribute));

    /// <summary>
    /// Why the expression is false, one reason per failing sub-term, in the user's words with the values read:
    /// `../t1 == complete (../t1 is active)`, `t1:m1 >= 50 (m1 is 20)`. Empty when it is true. For an expression that
    /// did not bind, its problems.
    /// </summary>
    public static IReadOnlyList<string> Explain(BoundExpression bound)
    {
        if (!bound.IsResolved)
        {
            return bound.Problems.Select(p => p.Reason).ToArray();
        }

        if (bound.IsTrue())
        {
            return [];
        }

        var reasons = new List<string>();
        bound.Root.ExplainFalse(reasons);
        return reasons;
    }

    /// <summary><see cref="Explain(BoundExpression)"/> for an attribute, binding it on first use.</summary>
    public static IReadOnlyList<string> Explain(Node holder, ExpressionAttribute attribute) =>
        Explain(ExpressionBinder.GetOrBind(holder, attribute));
}
