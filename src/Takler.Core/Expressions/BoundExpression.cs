using Takler.Core.Expressions.Terms;
using Takler.Core.Nodes;

namespace Takler.Core.Expressions;

/// <summary>
/// A trigger or complete expression compiled against the tree: every reference resolved to the node, event, meter,
/// label, repeat or limit it reads, so evaluation walks no paths. Made by <see cref="ExpressionBinder"/>, evaluated
/// and explained by <see cref="ExpressionEvaluator"/>. Bind again after nodes are added or removed.
/// </summary>
public sealed class BoundExpression
{
    private IReadOnlyList<Node>? _dependencies;

    internal BoundExpression(Node holder, string role, string text, BoundTerm root, IReadOnlyList<BindProblem> problems)
    {
        Holder = holder;
        Role = role;
        Text = text;
        Root = root;
        Problems = problems;
    }

    /// <summary>The node holding the expression.</summary>
    public Node Holder { get; }

    /// <summary>`trigger`, `complete`, or `expression` for one bound on its own.</summary>
    public string Role { get; }

    /// <summary>The expression's text (parts joined as <see cref="Attributes.ExpressionAttribute.Text"/> joins them).</summary>
    public string Text { get; }

    /// <summary>
    /// The nodes whose status or attributes the expression reads, each once: a change to any other node cannot change
    /// its value. The scheduler's dependents index is built from these. Gathered on first use.
    /// </summary>
    public IReadOnlyList<Node> Dependencies => _dependencies ??= GatherDependencies();

    /// <summary>The references that did not resolve (or the syntax error); empty when the expression is fully bound.</summary>
    public IReadOnlyList<BindProblem> Problems { get; }

    /// <summary>Whether the expression parsed and every reference resolved. An unresolved expression evaluates to false.</summary>
    public bool IsResolved => Problems.Count == 0;

    internal BoundTerm Root { get; }

    public override string ToString() => $"{Holder.Path}: {Role} '{Text}'";

    private Node[] GatherDependencies()
    {
        var nodes = new List<Node>(2);
        Root.AddDependencies(nodes);
        return nodes.Count == 0 ? [] : nodes.ToArray();
    }
}
