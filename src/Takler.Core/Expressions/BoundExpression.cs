using Takler.Core.Expressions.Terms;
using Takler.Core.Nodes;

namespace Takler.Core.Expressions;

/// <summary>
/// A trigger or complete expression compiled against the tree: every reference resolved to the node, event, meter,
/// label, repeat or limit it reads, so evaluation walks no paths. Made by <see cref="ExpressionBinder"/>, evaluated
/// and explained by <see cref="ExpressionEvaluator"/>. Bind again after nodes are added or removed.
/// </summary>
/// <remarks>
/// Two forms. The commonest trigger, `path == status` (any comparison of one node with a constant), is kept
/// <em>inline</em>: the node, operator, value and the positions to quote, in small fields of this one 64-byte object,
/// and no term; its term is made again only to explain it. Binding 100,000 such triggers then allocates 100,000
/// objects instead of 300,000, and on a machine with a small first generation each collection avoided during a bind
/// is worth more than the rest of the bind. Anything else is the <em>general</em> form: a tree of terms.
/// </remarks>
public sealed class BoundExpression
{
    private static readonly string[] RoleNames = ["trigger", "complete", "expression"];

    // Inline form: the node compared (null in the general form), the rest below.
    private readonly Node? _node;
    private readonly int _value;
    private readonly ushort _pathStart;
    private readonly ushort _pathLength;
    private readonly ushort _start;
    private readonly ushort _length;
    private readonly byte _op;
    private readonly byte _role;

    // Inline form: the dependencies once asked for (a Node[] of one). General form: the root term alone while the
    // expression is resolved and its dependencies were never asked for (the usual case, one object fewer per
    // expression); else a GeneralForm with the problems and the dependencies.
    private object? _details;

    internal BoundExpression(Node holder, string role, string text, BoundTerm root, IReadOnlyList<BindProblem> problems)
    {
        Holder = holder;
        _role = RoleIndex(role);
        Text = text;
        _details = problems.Count == 0 ? root : new GeneralForm(root, problems);
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
    public IReadOnlyList<Node> Dependencies
    {
        get
        {
            if (_node is not null)
            {
                return (Node[])(_details ??= new[] { _node });
            }

            if (_details is not GeneralForm general)
            {
                general = new GeneralForm((BoundTerm)_details!, null);
                _details = general;
            }

            return general.Dependencies ??= general.GatherDependencies();
        }
    }

    /// <summary>
    /// Adds <see cref="Dependencies"/> to <paramref name="into"/> (a node may then be there twice) without gathering
    /// and keeping a collection for this expression: the scheduler's rebuild reads every expression's dependencies
    /// once, into one buffer.
    /// </summary>
    internal void AddDependencies(List<Node> into)
    {
        if (_node is not null)
        {
            into.Add(_node);
        }
        else if (_details is GeneralForm { Dependencies: { } gathered })
        {
            into.AddRange(gathered);
        }
        else
        {
            GeneralRoot.AddDependencies(into);
        }
    }

    /// <summary>The references that did not resolve (or the syntax error); empty when the expression is fully bound.</summary>
    public IReadOnlyList<BindProblem> Problems => (_details as GeneralForm)?.Problems ?? [];

    /// <summary>Whether the expression parsed and every reference resolved. An unresolved expression evaluates to false.</summary>
    public bool IsResolved => (_details as GeneralForm)?.Problems is null;

    /// <summary>Whether this is a complete expression (else a trigger, or one bound on its own).</summary>
    internal bool IsComplete => _role == 1;

    internal BoundTerm Root => _node is { } node
        ? new StatusComparisonTerm(node, (ComparisonOperator)_op, _value, _pathStart, _pathLength, Text, _start, _length)
        : GeneralRoot;

    /// <summary>Whether a resolved `path op value` fits the inline form (positions and value in its small fields).</summary>
    internal static bool CanInline(long value, int end) => value is >= int.MinValue and <= int.MaxValue && end <= ushort.MaxValue;

    /// <summary>The value, when <see cref="IsResolved"/>.</summary>
    internal bool IsTrue() => _node is { } node
        ? StatusComparisonTerm.Holds(node, (ComparisonOperator)_op, _value)
        : GeneralRoot.IsTrue();

    /// <summary>The root term of the general form.</summary>
    private BoundTerm GeneralRoot
    {
        get
        {
            var details = _details;
            return details as BoundTerm ?? ((GeneralForm)details!).Root;
        }
    }

    public override string ToString() => $"{Holder.Path}: {Role} '{Text}'";

    private static byte RoleIndex(string role) => role switch
    {
        "trigger" => 0,
        "complete" => 1,
        _ => 2,
    };

    /// <summary>The general form: the root term, the problems (null when none), the dependencies once gathered.</summary>
    private sealed class GeneralForm(BoundTerm root, IReadOnlyList<BindProblem>? problems)
    {
        public BoundTerm Root { get; } = root;

        public IReadOnlyList<BindProblem>? Problems { get; } = problems;

        public IReadOnlyList<Node>? Dependencies { get; set; }

        public Node[] GatherDependencies()
        {
            var nodes = new List<Node>(2);
            Root.AddDependencies(nodes);
            return nodes.Count == 0 ? [] : nodes.ToArray();
        }
    }
}
