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
    // The commonest trigger, `path == status`, is kept inline rather than as a term: one object per trigger instead of
    // two, which matters to the collector when 100,000 are bound at once. Its term is made again only to explain it.
    private readonly Node? _node;
    private readonly ComparisonOperator _op;
    private readonly long _value;
    private readonly int _pathStart;
    private readonly int _pathLength;
    private readonly int _start;
    private readonly int _length;
    private BoundTerm? _root;
    private IReadOnlyList<Node>? _dependencies;

    internal BoundExpression(Node holder, string role, string text, BoundTerm root, IReadOnlyList<BindProblem> problems)
    {
        Holder = holder;
        Role = role;
        Text = text;
        Problems = problems;
        if (root is StatusComparisonTerm simple && problems.Count == 0 && ReferenceEquals(simple.Source, text))
        {
            (_node, _op, _value, _pathStart, _pathLength) = simple.Parts;
            (_start, _length) = (simple.Start, simple.Length);
        }
        else
        {
            _root = root;
        }
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

    internal BoundTerm Root => _root ??= new StatusComparisonTerm(_node!, _op, _value, _pathStart, _pathLength, Text, _start, _length);

    /// <summary>The value, when <see cref="IsResolved"/>.</summary>
    internal bool IsTrue() => _node is { } node ? StatusComparisonTerm.Holds(node, _op, _value) : _root!.IsTrue();

    public override string ToString() => $"{Holder.Path}: {Role} '{Text}'";

    private Node[] GatherDependencies()
    {
        if (_node is not null)
        {
            return [_node];
        }

        var nodes = new List<Node>(2);
        Root.AddDependencies(nodes);
        return nodes.Count == 0 ? [] : nodes.ToArray();
    }
}
