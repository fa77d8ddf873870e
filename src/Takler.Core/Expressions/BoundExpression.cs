using Takler.Core.Attributes;
using Takler.Core.Expressions.Terms;
using Takler.Core.Nodes;

namespace Takler.Core.Expressions;

/// <summary>
/// A trigger or complete expression compiled against the tree: every reference resolved to the node, event, meter,
/// label, repeat or limit it reads, so evaluation walks no paths. Made by <see cref="ExpressionBinder"/>, evaluated
/// and explained by <see cref="ExpressionEvaluator"/>. Bind again after nodes are added or removed.
/// </summary>
/// <remarks>
/// Two forms. The common triggers, one comparison or flag (`path == complete`, `path:event`, `path:event == set`) or
/// two joined by `and` or `or` (`t3 == complete or t3:done`), are kept <em>inline</em>: what each one reads
/// (<see cref="InlineLeaf"/>) in fields of this one object, and no terms; the terms are made again only to explain
/// it. Binding 100,000 such triggers then allocates one object each instead of up to four (88 bytes instead of 232),
/// and a restart pays for every new page it fills. Anything else is the <em>general</em> form: a tree of terms.
/// </remarks>
public sealed class BoundExpression
{
    private static readonly string[] RoleNames = ["trigger", "complete", "expression"];

    // Inline form: how the leaves are joined (InlineShape.None in the general form), and the leaves' parts field by
    // field: as two InlineLeaf fields, each would be padded to 24 bytes, and the object would take 96 bytes, not 88.
    private readonly InlineShape _shape;
    private readonly byte _role;
    private readonly Node? _firstNode;
    private readonly Event? _firstEvent;
    private readonly int _firstValue;
    private readonly byte _firstOp;
    private readonly Node? _secondNode;
    private readonly Event? _secondEvent;
    private readonly int _secondValue;
    private readonly byte _secondOp;

    // Inline form: the dependencies once asked for (a Node[]). General form: the root term alone while the
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

    /// <summary>The inline form of one leaf, the whole of <paramref name="text"/>.</summary>
    internal BoundExpression(Node holder, string role, string text, InlineLeaf leaf)
    {
        Holder = holder;
        _role = RoleIndex(role);
        Text = text;
        (_firstNode, _firstEvent, _firstOp, _firstValue) = (leaf.Node, leaf.Event, leaf.OpCode, leaf.Value);
        _shape = InlineShape.Leaf;
    }

    /// <summary>The inline form of `first and second` (or `or`), the whole of <paramref name="text"/>.</summary>
    internal BoundExpression(Node holder, string role, string text, InlineLeaf first, bool isAnd, InlineLeaf second)
    {
        Holder = holder;
        _role = RoleIndex(role);
        Text = text;
        (_firstNode, _firstEvent, _firstOp, _firstValue) = (first.Node, first.Event, first.OpCode, first.Value);
        (_secondNode, _secondEvent, _secondOp, _secondValue) = (second.Node, second.Event, second.OpCode, second.Value);
        _shape = isAnd ? InlineShape.And : InlineShape.Or;
    }

    private InlineLeaf First => new(_firstNode!, _firstEvent, _firstOp, _firstValue);

    private InlineLeaf Second => new(_secondNode!, _secondEvent, _secondOp, _secondValue);

    private enum InlineShape : byte
    {
        None,
        Leaf,
        And,
        Or,
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
            if (_shape != InlineShape.None)
            {
                return (Node[])(_details ??= InlineDependencies());
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
        if (_shape != InlineShape.None)
        {
            into.Add(_firstNode!);
            if (_shape != InlineShape.Leaf && !ReferenceEquals(_secondNode, _firstNode))
            {
                into.Add(_secondNode!);
            }
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

    internal BoundTerm Root => _shape == InlineShape.None ? GeneralRoot : InlineRoot();

    /// <summary>The value, when <see cref="IsResolved"/>.</summary>
    internal bool IsTrue()
    {
        // The commonest trigger of all, `path == status`, read without making its leaf first.
        if (_shape == InlineShape.Leaf && _firstEvent is null)
        {
            return StatusComparisonTerm.Holds(_firstNode!, (ComparisonOperator)_firstOp, _firstValue);
        }

        return _shape switch
        {
            InlineShape.None => GeneralRoot.IsTrue(),
            InlineShape.Leaf => First.IsTrue(),
            InlineShape.And => First.IsTrue() && Second.IsTrue(),
            _ => First.IsTrue() || Second.IsTrue(),
        };
    }

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

    /// <summary>The terms the general binding makes of the inline form, placed by parsing the text again.</summary>
    private BoundTerm InlineRoot()
    {
        var syntax = ExpressionParser.Parse(Text).Root;
        if (_shape == InlineShape.Leaf)
        {
            return First.Term(syntax, Text);
        }

        var join = (BinaryExpression)syntax;
        return new LogicalTerm(_shape == InlineShape.And, First.Term(join.Left, Text), Second.Term(join.Right, Text), Text, join.Start, join.Length);
    }

    /// <summary>The nodes the inline form reads, each once, in the order the general form gathers them.</summary>
    private Node[] InlineDependencies() =>
        _shape == InlineShape.Leaf || ReferenceEquals(_firstNode, _secondNode) ? [_firstNode!] : [_firstNode!, _secondNode!];

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
