using Takler.Core.Attributes;
using Takler.Core.Expressions.Terms;
using Takler.Core.Nodes;

namespace Takler.Core.Expressions;

/// <summary>
/// Resolves an expression's references from the node holding it and compiles it into a <see cref="BoundExpression"/>.
/// Problems are collected, not thrown: every unresolved reference of every expression is reported, with its holder.
/// Paths resolve as <see cref="NodePaths.Resolve"/> does (relative paths from the holder's parent). `path:name`
/// looks on that node for an event, meter, variable, repeat, generated variable, limit, then label; `:name` looks
/// for the same on the holder, then each ancestor, then among the server's parameters.
/// </summary>
public static class ExpressionBinder
{
    /// <summary>What a flow generates once its calendar runs: known before begin, so references to them bind.</summary>
    private static readonly HashSet<string> FlowTimeVariables = new(StringComparer.Ordinal)
    {
        "DATE", "TIME", "TAKLER_DATE", "TAKLER_TIME", "TAKLER_JULIAN", "ECF_DATE", "ECF_TIME", "ECF_JULIAN",
        "YYYY", "MM", "DD", "DOW", "DOY", "DAY", "MONTH",
    };

    /// <summary>
    /// Binds the trigger or complete <paramref name="attribute"/> of <paramref name="holder"/> and caches the result
    /// in <see cref="ExpressionAttribute.Bound"/>. Never throws: a syntax error or an unresolved reference is in
    /// <see cref="BoundExpression.Problems"/>.
    /// </summary>
    public static BoundExpression Bind(Node holder, ExpressionAttribute attribute)
    {
        var bound = Bind(holder, attribute, new Binder());
        attribute.Bound = bound;
        return bound;
    }

    /// <summary>
    /// The cached bound form of <paramref name="holder"/>'s <paramref name="attribute"/>, binding it first when there
    /// is none (or it was bound for another holder). Never throws.
    /// </summary>
    public static BoundExpression GetOrBind(Node holder, ExpressionAttribute attribute)
    {
        var bound = attribute.Bound;
        return bound is not null && ReferenceEquals(bound.Holder, holder) ? bound : Bind(holder, attribute);
    }

    /// <summary>Binds an expression parsed on its own (not cached anywhere), as if <paramref name="holder"/> held it.</summary>
    public static BoundExpression Bind(Node holder, ParsedExpression parsed)
    {
        var binder = new Binder();
        binder.Start(holder, "expression", parsed.Text);
        return binder.TryInline(parsed.Root) ?? binder.Finish(binder.Bind(parsed.Root, parsed.Text));
    }

    /// <summary>Parses and binds <paramref name="text"/> as if <paramref name="holder"/> held it; a syntax error throws.</summary>
    public static BoundExpression Bind(Node holder, string text) => Bind(holder, ExpressionParser.Parse(text));

    /// <summary>
    /// Binds (again) every trigger and complete expression of every flow. Call it after loading, and again after
    /// nodes are added or removed: bound expressions hold direct references to nodes.
    /// </summary>
    public static BindResult BindAll(Bunch bunch)
    {
        var problems = new List<BindProblem>();
        var pending = new PendingBindings();
        var count = 0;
        foreach (var flow in bunch.Flows)
        {
            count += BindTree(flow, problems, pending);
        }

        pending.Store();
        return new BindResult(count, problems);
    }

    /// <summary>Binds (again) every trigger and complete expression of <paramref name="root"/> and the nodes below it.</summary>
    public static BindResult BindAll(Node root)
    {
        var problems = new List<BindProblem>();
        var pending = new PendingBindings();
        var count = BindTree(root, problems, pending);
        pending.Store();
        return new BindResult(count, problems);
    }

    /// <summary>Forgets the bound forms below <paramref name="root"/> (parses are kept); they bind again when next evaluated.</summary>
    public static void Invalidate(Node root)
    {
        foreach (var node in root.SelfAndDescendants())
        {
            node.Trigger?.Bound = null;
            node.Complete?.Bound = null;
        }
    }

    /// <summary>Forgets the bound forms of every flow.</summary>
    public static void Invalidate(Bunch bunch)
    {
        foreach (var flow in bunch.Flows)
        {
            Invalidate(flow);
        }
    }

    /// <summary>Binds without storing the result on the attribute. The syntax trees are not kept: the bound form has all it needs.</summary>
    private static BoundExpression Bind(Node holder, ExpressionAttribute attribute, Binder binder, SharedParses? shared = null)
    {
        var role = ReferenceEquals(holder.Trigger, attribute) ? "trigger"
            : ReferenceEquals(holder.Complete, attribute) ? "complete"
            : "expression";
        var text = attribute.Text;
        IReadOnlyList<ParsedExpression> parts;
        try
        {
            parts = shared is not null ? shared.Parse(attribute) : ExpressionParser.Parse(attribute, cache: false);
        }
        catch (ExpressionSyntaxException e)
        {
            return SyntaxFailure(holder, role, text, e);
        }

        // The source given to the terms is the attribute's own text, not the (maybe shared) parse's equal copy: a
        // single-part `path == status` is then kept inline by BoundExpression, which checks it by reference.
        binder.Start(holder, role, text);
        if (parts.Count == 1 && binder.TryInline(parts[0].Root) is { } inline)
        {
            return inline;
        }

        var root = binder.Bind(parts[0].Root, attribute.Parts[0].Text);

        // ecFlow folds continuation parts left to right: ((p1 join2 p2) join3 p3).
        for (var i = 1; i < parts.Count; i++)
        {
            var right = binder.Bind(parts[i].Root, attribute.Parts[i].Text);
            root = new LogicalTerm(attribute.Parts[i].Join != ExpressionJoin.Or, root, right, text, 0, text.Length);
        }

        return binder.Finish(root);
    }

    private static int BindTree(Node root, List<BindProblem> problems, PendingBindings pending)
    {
        var walk = new TreeBinding(problems, pending);
        walk.Visit(root);
        return walk.Count;
    }

    /// <summary>One <see cref="BindAll(Node)"/>: a pre-order walk binding each trigger and complete expression.</summary>
    private sealed class TreeBinding(List<BindProblem> problems, PendingBindings pending)
    {
        private readonly Binder _binder = new();
        private readonly SharedParses _parses = new();

        public int Count { get; private set; }

        // Recursion instead of SelfAndDescendants(): no enumerator calls per node (trees are a few levels deep).
        public void Visit(Node node)
        {
            if (node.Trigger is { } trigger)
            {
                BindOne(node, trigger);
            }

            if (node.Complete is { } complete)
            {
                BindOne(node, complete);
            }

            var children = node.Children;
            for (var i = 0; i < children.Count; i++)
            {
                Visit(children[i]);
            }
        }

        private void BindOne(Node node, ExpressionAttribute attribute)
        {
            var bound = Bind(node, attribute, _binder, _parses);
            if (bound.Problems.Count > 0)
            {
                problems.AddRange(bound.Problems);
            }

            pending.Add(bound);
            Count++;
        }
    }

    /// <summary>
    /// One parse per distinct single-part text during a bind of many expressions. Generated suites repeat their
    /// triggers (every `t5` of 2,000 families waits for `t4 == complete`), and a syntax tree holds only offsets into
    /// its text and the paths as written, never nodes, so one tree serves every holder of an equal text. The trees
    /// live only as long as the bind.
    /// </summary>
    private sealed class SharedParses
    {
        private readonly Dictionary<string, ParsedExpression[]> _parsed = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ExpressionSyntaxException> _failed = new(StringComparer.Ordinal);

        public IReadOnlyList<ParsedExpression> Parse(ExpressionAttribute attribute)
        {
            // Parts joined by -a/-o are rare, and a cached parse on the attribute wins as it would without sharing.
            if (attribute.Parts.Count != 1 || attribute.CachedParts is not null || attribute.CachedSyntaxError is not null)
            {
                return ExpressionParser.Parse(attribute, cache: false);
            }

            var text = attribute.Parts[0].Text;
            if (_parsed.TryGetValue(text, out var parts))
            {
                return parts;
            }

            if (_failed.TryGetValue(text, out var error))
            {
                attribute.CachedSyntaxError = error;
                throw new ExpressionSyntaxException(error.Line, error.Column, error.Detail);
            }

            try
            {
                parts = [ExpressionParser.Parse(text, 1)];
            }
            catch (ExpressionSyntaxException e)
            {
                attribute.CachedSyntaxError = e;
                _failed.Add(text, e);
                throw;
            }

            _parsed.Add(text, parts);
            return parts;
        }
    }

    private static BoundExpression SyntaxFailure(Node holder, string role, string text, ExpressionSyntaxException e)
    {
        var problem = new BindProblem(BindProblemKind.SyntaxError, holder.Path, role, text, $"line {e.Line}, column {e.Column}", e.Message);
        return new BoundExpression(holder, role, text, new UnresolvedTerm(e.Message, text, 0, text.Length), [problem]);
    }

    /// <summary>
    /// Bound forms waiting to be stored on their attributes. Storing each one as it is made would write a new object
    /// into an old one 100,000 times, and every collection during the bind would rescan all those places (measured:
    /// half the bind's time). So they wait in small arrays (young, off the large object heap) and are stored at the end;
    /// each finds its attribute again from its holder and role (trigger or complete).
    /// </summary>
    private sealed class PendingBindings
    {
        private const int ChunkSize = 2048;
        private readonly List<BoundExpression[]> _full = [];
        private BoundExpression[] _chunk = new BoundExpression[ChunkSize];
        private int _count;

        public void Add(BoundExpression bound)
        {
            if (_count == ChunkSize)
            {
                _full.Add(_chunk);
                _chunk = new BoundExpression[ChunkSize];
                _count = 0;
            }

            _chunk[_count++] = bound;
        }

        public void Store()
        {
            foreach (var chunk in _full)
            {
                foreach (var bound in chunk)
                {
                    Store(bound);
                }
            }

            for (var i = 0; i < _count; i++)
            {
                Store(_chunk[i]);
            }
        }

        private static void Store(BoundExpression bound)
        {
            var attribute = bound.IsComplete ? bound.Holder.Complete : bound.Holder.Trigger;
            attribute!.Bound = bound;
        }
    }

    /// <summary>Binds one expression after another (reused, to spare allocations): the holder, the problems found so far.</summary>
    private sealed class Binder
    {
        private Node _holder = null!;
        private string _role = string.Empty;
        private string _text = string.Empty;
        private List<BindProblem>? _problems;
        private NodeContainer? _lastFamily;
        private string? _lastSibling;
        private Node? _lastSiblingNode;

        public void Start(Node holder, string role, string text)
        {
            _holder = holder;
            _role = role;
            _text = text;
            _problems = null;
        }

        public BoundExpression Finish(BoundTerm root)
        {
            var bound = new BoundExpression(_holder, _role, _text, root, (IReadOnlyList<BindProblem>?)_problems ?? []);
            _problems = null;
            return bound;
        }

        public BoundTerm Bind(ExpressionNode node, string source)
        {
            switch (node)
            {
                case BinaryExpression { Operator: BinaryOperator.And or BinaryOperator.Or } b:
                    return new LogicalTerm(b.Operator == BinaryOperator.And, Bind(b.Left, source), Bind(b.Right, source), source, b.Start, b.Length);
                case BinaryExpression b:
                    return new ArithmeticTerm(b.Operator, Bind(b.Left, source), Bind(b.Right, source), source, b.Start, b.Length);
                case ComparisonExpression c:
                    return Comparison(c, source);
                case NotExpression n:
                    return new NotTerm(Bind(n.Operand, source), source, n.Start, n.Length);
                case NegateExpression n:
                    return new NegateTerm(Bind(n.Operand, source), source, n.Start, n.Length);
                case IntegerLiteral i:
                    return new ConstantTerm(i.Value, source, i.Start, i.Length);
                case StatusLiteral s:
                    return new ConstantTerm((long)s.Status, source, s.Start, s.Length);
                case EventLiteral e:
                    return new ConstantTerm(e.Value ? 1 : 0, source, e.Start, e.Length);
                case NodeReference r:
                    return NodeRef(r, source);
                case AttributeReference a:
                    return AttributeRef(a, source);
                case VariableReference v:
                    return VariableRef(v, source);
                default:
                    throw new ArgumentException($"unknown expression node {node.GetType().Name}", nameof(node));
            }
        }

        /// <summary>
        /// The common expressions, one comparison or flag or two joined by `and` or `or`, with every path resolved, in
        /// the inline form of <see cref="BoundExpression"/>, without making terms first; null for anything else. The
        /// expression's whole text is the source: call it for a single-part expression only.
        /// </summary>
        public BoundExpression? TryInline(ExpressionNode root)
        {
            if (root is BinaryExpression { Operator: BinaryOperator.And or BinaryOperator.Or } join)
            {
                return ResolveLeaf(join.Left) is { } first && ResolveLeaf(join.Right) is { } second
                    ? new BoundExpression(_holder, _role, _text, first, join.Operator == BinaryOperator.And, second)
                    : null;
            }

            return ResolveLeaf(root) is { } leaf ? new BoundExpression(_holder, _role, _text, leaf) : null;
        }

        /// <summary>The leaf <paramref name="syntax"/> resolved as the general binding would (see <see cref="Comparison"/> and <see cref="Lookup"/>, events first).</summary>
        private InlineLeaf? ResolveLeaf(ExpressionNode syntax) =>
            LeafSyntax.Read(syntax) is { } leaf && Resolve(leaf.Path) is { } node ? InlineLeaf.Create(leaf, node) : null;

        /// <summary>A comparison with a constant side is fused: `path == complete` becomes one term.</summary>
        private BoundTerm Comparison(ComparisonExpression c, string source)
        {
            var (left, right, op) = (c.Left, c.Right, c.Operator);
            if (Constant(left) is not null && Constant(right) is null)
            {
                (left, right, op) = (right, left, op.Swapped());
            }

            if (Constant(right) is not { } value)
            {
                return new ComparisonTerm(op, Bind(left, source), Bind(right, source), source, c.Start, c.Length);
            }

            if (left is NodeReference r && Resolve(r.Path) is { } node)
            {
                return new StatusComparisonTerm(node, r, op, value, source, c.Start, c.Length);
            }

            // `path:event == set` and `path:meter > n`: one term, found in Lookup's order (events, then meters).
            if (left is AttributeReference a && Resolve(a.Path) is { } owner)
            {
                if (owner.FindEvent(a.Name) is { } ev)
                {
                    return new EventComparisonTerm(owner, ev, op, value, source, c.Start, c.Length);
                }

                if (owner.FindMeter(a.Name) is { } meter)
                {
                    return new MeterComparisonTerm(owner, meter, op, value, source, c.Start, c.Length);
                }
            }

            var term = Bind(left, source);
            return term.IsTextual
                ? new ComparisonTerm(op, term, Bind(right, source), source, c.Start, c.Length)
                : new ConstantComparisonTerm(op, term, value, source, c.Start, c.Length);
        }

        private static long? Constant(ExpressionNode node) => LeafSyntax.Constant(node);

        /// <summary>
        /// As <see cref="NodePaths.Resolve"/>, with a quick way for a bare sibling name, and the last sibling found kept:
        /// an expression often names one sibling twice (`t3 == complete or t3:done`). The tree does not change during a bind.
        /// </summary>
        private Node? Resolve(string path)
        {
            if (path.Contains('/', StringComparison.Ordinal) || path is "." or "..")
            {
                return NodePaths.Resolve(_holder, path);
            }

            var family = (_holder.Parent ?? _holder) as NodeContainer;
            if (!ReferenceEquals(family, _lastFamily) || !string.Equals(path, _lastSibling, StringComparison.Ordinal))
            {
                (_lastFamily, _lastSibling, _lastSiblingNode) = (family, path, family?.FindChild(path));
            }

            return _lastSiblingNode;
        }

        private BoundTerm NodeRef(NodeReference r, string source)
        {
            var node = Resolve(r.Path);
            if (node is null)
            {
                return Unresolved(BindProblemKind.NodeNotFound, r.Path, $"node {r.Path} not found", $"{r.Path} not found", source, r);
            }

            return new NodeStatusTerm(node, source, r.Start, r.Length);
        }

        private BoundTerm AttributeRef(AttributeReference a, string source)
        {
            // The `path:name` text is made only for a problem: a resolved reference needs no string of its own.
            var node = Resolve(a.Path);
            if (node is null)
            {
                return Unresolved(BindProblemKind.NodeNotFound, $"{a.Path}:{a.Name}", $"node {a.Path} not found", $"{a.Path} not found", source, a);
            }

            if (Lookup(node, a.Name, source, a) is { } term)
            {
                return term;
            }

            var reference = $"{a.Path}:{a.Name}";
            return Unresolved(
                BindProblemKind.AttributeNotFound,
                reference,
                $"{reference} not found: {node.Path} has no event, meter, variable, repeat, limit or label named {a.Name}",
                $"{reference} not found",
                source,
                a);
        }

        private BoundTerm VariableRef(VariableReference v, string source)
        {
            for (Node? node = _holder; node is not null; node = node.Parent)
            {
                if (Lookup(node, v.Name, source, v) is { } term)
                {
                    return term;
                }
            }

            if (_holder.Bunch is { } bunch && bunch.FindServerParameterValue(v.Name) is not null)
            {
                return new VariableTerm(null, bunch, v.Name, VariableSource.Server, source, v.Start, v.Length);
            }

            return Unresolved(
                BindProblemKind.VariableNotFound,
                $":{v.Name}",
                $"variable {v.Name} not found on {_holder.Path}, its ancestors or the server",
                $":{v.Name} not found",
                source,
                v);
        }

        /// <summary>ecFlow's order (event, meter, user variable, repeat, generated variable, limit), then labels.</summary>
        private static BoundTerm? Lookup(Node node, string name, string source, ExpressionNode at)
        {
            if (node.FindEvent(name) is { } ev)
            {
                return new EventTerm(node, ev, source, at.Start, at.Length);
            }

            if (node.FindMeter(name) is { } meter)
            {
                return new MeterTerm(node, meter, source, at.Start, at.Length);
            }

            if (node.FindOwnParameter(name) is not null)
            {
                return new VariableTerm(node, null, name, VariableSource.User, source, at.Start, at.Length);
            }

            if (node.Repeat is { } repeat && repeat.Name == name)
            {
                return new RepeatTerm(node, repeat, source, at.Start, at.Length);
            }

            if (node.TryGetOwnValue(name, out _) || (node is Flow && FlowTimeVariables.Contains(name)))
            {
                return new VariableTerm(node, null, name, VariableSource.Generated, source, at.Start, at.Length);
            }

            if (node.FindLimit(name) is { } limit)
            {
                return new LimitTerm(node, limit, source, at.Start, at.Length);
            }

            if (node.FindLabel(name) is { } label)
            {
                return new LabelTerm(node, label, source, at.Start, at.Length);
            }

            return null;
        }

        private UnresolvedTerm Unresolved(BindProblemKind kind, string reference, string reason, string shortReason, string source, ExpressionNode at)
        {
            (_problems ??= []).Add(new BindProblem(kind, _holder.Path, _role, _text, reference, reason));
            return new UnresolvedTerm(shortReason, source, at.Start, at.Length);
        }
    }
}
