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
    private static readonly string[] RoleNames = ["trigger", "complete", "expression"];

    // The commonest trigger, `path == status`, is kept inline rather than as a term (see CanInline): one 80-byte object
    // per trigger instead of two, which matters to the collector when 100,000 are bound at once. Its term is made
    // again only to explain it. Small fields (int, ushort, byte) keep the object small; the binder inlines only what fits.
    private readonly Node? _node;
    private readonly IReadOnlyList<BindProblem>? _problems;
    private readonly int _value;
    private readonly ushort _pathStart;
    private readonly ushort _pathLength;
    private readonly ushort _start;
    private readonly ushort _length;
    private readonly byte _op;
    private readonly byte _role;
    private BoundTerm? _root;
    private IReadOnlyList<Node>? _dependencies;

    internal BoundExpression(Node holder, string role, string text, BoundTerm root, IReadOnlyList<BindProblem> problems)
    {
        Holder = holder;
        _role = RoleIndex(role);
        Text = text;
        _problems = problems.Count == 0 ? null : problems;
        _root = root;
    }

    /// <summary>The inline form of `path op value`, for a resolved comparison that <see cref="CanInline"/> accepts.</summary>
    internal BoundExpression(Node holder, string role, string text, Node node, ComparisonOperator op, long value, int pathStart, int pathLength, int start, int length)
    {
        Holder = holder;
        _role = RoleIndex(role);
        Text = text;
        _node = node;
        _op = (byte)op;
        _value = (int)value;
        (_pathStart, _pathLength, _start, _length) = ((ushort)pathStart, (ushort)pathLength, (ushort)start, (ushort)length);
    }

    /// <summary>The node holding the expression.</summary>
    public Node Holder { get; }

    /// <summary>`trigger`, `complete`, or `expression` for one bound on its own.</summary>
    public string Role => RoleNames[_role];

    /// <summary>The expression's text (parts joined as <see cref="Attributes.ExpressionAttribute.Text"/> joins them).</summary>
    public string Text { get; }

    /// <summary>
    /// The nodes whose status or attributes the expression reads, each once: a change to any other node cannot change
    /// its value. The scheduler's dependents index is built from these. Gathered on first use.
    /// </summary>
    public IReadOnlyList<Node> Dependencies => _dependencies ??= GatherDependencies();

    /// <summary>The references that did not resolve (or the syntax error); empty when the expression is fully bound.</summary>
    public IReadOnlyList<BindProblem> Problems => _problems ?? [];

    /// <summary>Whether the expression parsed and every reference resolved. An unresolved expression evaluates to false.</summary>
    public bool IsResolved => _problems is null;

    /// <summary>Whether this is a complete expression (else a trigger, or one bound on its own).</summary>
    internal bool IsComplete => _role == 1;

    internal BoundTerm Root => _root ??= new StatusComparisonTerm(_node!, (ComparisonOperator)_op, _value, _pathStart, _pathLength, Text, _start, _length);

    /// <summary>Whether a resolved `path op value` fits the inline form (positions and value in its small fields).</summary>
    internal static bool CanInline(long value, int end) => value is >= int.MinValue and <= int.MaxValue && end <= ushort.MaxValue;

    /// <summary>The value, when <see cref="IsResolved"/>.</summary>
    internal bool IsTrue() => _node is { } node ? StatusComparisonTerm.Holds(node, (ComparisonOperator)_op, _value) : _root!.IsTrue();

    public override string ToString() => $"{Holder.Path}: {Role} '{Text}'";

    private static byte RoleIndex(string role) => role switch
    {
        "trigger" => 0,
        "complete" => 1,
        _ => 2,
    };

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
