using System.Runtime.CompilerServices;
using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Definitions;

/// <summary>
/// The check after reading, as ecFlow does on load: every trigger and complete expression is well formed and its
/// node and attribute references exist (a path declared `extern` need not); autorestore paths name suites or
/// families; in-limits name limits that exist (a warning, as in ecFlow, when they do not).
/// </summary>
/// <remarks>
/// Relative paths are resolved as ecFlow does: `./x` and `../x` from the node's parent; a plain `x` or `x/y` from the
/// parent (a sibling) and, failing that, from the node itself (a child). `..` above a suite reaches the other suites.
/// </remarks>
public static class DefsChecker
{
    private static readonly HashSet<string> SuiteVariables = new(StringComparer.Ordinal)
    {
        "SUITE", "ECF_DATE", "YYYY", "DOW", "DOY", "DATE", "DAY", "DD", "MM", "MONTH", "ECF_CLOCK", "ECF_TIME",
        "ECF_JULIAN", "TIME", "FLOW", "TAKLER_DATE", "TAKLER_TIME", "TAKLER_JULIAN",
    };

    private static readonly HashSet<string> FamilyVariables = new(StringComparer.Ordinal) { "FAMILY", "FAMILY1" };

    private static readonly HashSet<string> TaskVariables = new(StringComparer.Ordinal)
    {
        "TASK", "ECF_JOB", "ECF_SCRIPT", "ECF_JOBOUT", "ECF_TRYNO", "ECF_RID", "ECF_NAME", "ECF_PASS",
        "TAKLER_NAME", "TAKLER_RID", "TAKLER_TRY_NO", "TAKLER_PASS", "TAKLER_JOB", "TAKLER_JOBOUT", "TAKLER_SCRIPT",
    };

    private static readonly string[] DateSuffixes = ["_YYYY", "_MM", "_DD", "_DOW", "_JULIAN"];

    /// <summary>All problems found, errors and warnings, in tree order.</summary>
    public static IReadOnlyList<Diagnostic> Check(DefsFile defs)
    {
        ArgumentNullException.ThrowIfNull(defs);
        var run = new Run(defs);
        run.Diagnostics.AddRange(defs.ReaderWarnings);
        foreach (var flow in defs.Flows)
        {
            run.Visit(flow);
        }

        return run.Diagnostics;
    }

    /// <summary>Checks <paramref name="defs"/>; throws a <see cref="DefinitionException"/> when there are errors, else returns the warnings.</summary>
    public static IReadOnlyList<Diagnostic> ThrowIfInvalid(DefsFile defs)
    {
        var diagnostics = Check(defs);
        if (diagnostics.Any(d => d.IsError))
        {
            throw new DefinitionException([.. diagnostics.Where(d => d.IsError), .. diagnostics.Where(d => !d.IsError)]);
        }

        return diagnostics;
    }

    private sealed class Run
    {
        private readonly DefsFile _defs;
        private readonly HashSet<string> _externs;
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _externLookup;
        private readonly Dictionary<string, Flow> _flows = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Flow>.AlternateLookup<ReadOnlySpan<char>> _flowLookup;
        private readonly List<ExpressionReference> _references = [];

        // Expression texts were pooled by the reader, and suites repeat them (every member of a family waits for
        // `../prep == complete`): each distinct text is analysed once.
        private readonly Dictionary<string, Analysis> _analyses = new(StringComparer.Ordinal);
        private readonly DefsSourceMap _source;

        // Nodes were recorded in pre-order, the order of this walk: while the tree matches, the running index finds
        // each node's positions without any lookup.
        private int _index;
        private bool _inStep = true;

        public Run(DefsFile defs)
        {
            _defs = defs;
            _source = defs.Source;
            _externs = new HashSet<string>(defs.Externs, StringComparer.Ordinal);
            _externLookup = _externs.GetAlternateLookup<ReadOnlySpan<char>>();
            foreach (var flow in defs.Flows)
            {
                _flows.TryAdd(flow.Name, flow);
            }

            _flowLookup = _flows.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public List<Diagnostic> Diagnostics { get; } = [];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Visit(Node node)
        {
            var index = _index++;
            _inStep = _inStep && ReferenceEquals(_source.NodeAt(index), node);
            var source = _inStep ? index : -1;
            if (node.Trigger is { } trigger)
            {
                CheckExpression(node, source, trigger, "trigger", SourceItemKind.TriggerPart);
            }

            if (node.Complete is { } complete)
            {
                CheckExpression(node, source, complete, "complete", SourceItemKind.CompletePart);
            }

            // Index loops: a foreach over these IReadOnlyList properties would allocate an enumerator per node.
            var inLimits = node.InLimits;
            for (var i = 0; i < inLimits.Count; i++)
            {
                CheckInLimit(node, inLimits[i], Position(node, source, SourceItemKind.InLimit, inLimits[i]));
            }

            var kept = node.KeptAttributes;
            for (var i = 0; i < kept.Count; i++)
            {
                if (kept[i].Keyword == "autorestore")
                {
                    CheckAutoRestore(node, kept[i], Position(node, source, SourceItemKind.Kept, kept[i]));
                }
            }

            var children = node.Children;
            for (var i = 0; i < children.Count; i++)
            {
                Visit(children[i]);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private SourcePosition Position(Node node, int source, SourceItemKind kind, object item) =>
            source >= 0
                ? _source.ItemPosition(source, kind, item) ?? _source.NodePosition(source)
                : _defs.PositionOf(item) ?? _defs.PositionOf(node) ?? default;

        private void CheckExpression(Node node, int source, ExpressionAttribute expression, string keyword, SourceItemKind kind)
        {
            var parts = expression.Parts;
            for (var p = 0; p < parts.Count; p++)
            {
                var part = parts[p];
                var text = part.Text;
                var at = Position(node, source, kind, part);
                if (!_analyses.TryGetValue(text, out var analysis))
                {
                    _references.Clear();
                    var problem = ExpressionReferences.Analyze(text, _references);
                    analysis = new Analysis(problem, [.. _references]);
                    if (text.Length <= StringPool.MaxPooledLength)
                    {
                        _analyses.Add(text, analysis);
                    }
                }

                if (analysis.Error is { } error)
                {
                    Add(DiagnosticSeverity.Error, at, error.Offset, node, $"invalid {keyword} '{text}' of {node.Path}: {error.Message}");
                    continue;
                }

                foreach (var reference in analysis.References)
                {
                    CheckReference(node, keyword, text, at, reference);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void CheckReference(Node node, string keyword, string text, SourcePosition at, ExpressionReference reference)
        {
            var path = text.AsSpan(reference.PathStart, reference.PathLength);
            var name = text.AsSpan(reference.NameStart, reference.NameLength);
            switch (reference.Kind)
            {
                case ExpressionReferenceKind.ParentVariable:
                    for (Node? n = node; n is not null; n = n.Parent)
                    {
                        if (HasAttribute(n, name))
                        {
                            return;
                        }
                    }

                    Add(DiagnosticSeverity.Error, at, reference.NameStart - 1, node,
                        $"{keyword} '{text}' of {node.Path}: no variable named '{name}' on {node.Path} or its ancestors");
                    return;
                case ExpressionReferenceKind.Attribute:
                    {
                        var full = text.AsSpan(reference.PathStart, reference.NameStart + reference.NameLength - reference.PathStart);
                        if (_externLookup.Contains(full))
                        {
                            return;
                        }

                        var target = Resolve(node, path, out _);
                        if (target is null)
                        {
                            Add(DiagnosticSeverity.Error, at, reference.PathStart, node, NotFound(keyword, text, node, path, full));
                        }
                        else if (!HasAttribute(target, name))
                        {
                            Add(DiagnosticSeverity.Error, at, reference.NameStart, node,
                                $"{keyword} '{text}' of {node.Path}: {target.Path} has no event, meter, variable, repeat, limit or queue named '{name}'");
                        }

                        return;
                    }

                default:
                    {
                        if (_externLookup.Contains(path))
                        {
                            return;
                        }

                        var target = Resolve(node, path, out var root);
                        if (target is null && !(root && reference.Kind == ExpressionReferenceKind.Flag))
                        {
                            Add(DiagnosticSeverity.Error, at, reference.PathStart, node, NotFound(keyword, text, node, path, path));
                        }

                        return;
                    }
            }
        }

        private static string NotFound(string keyword, string text, Node node, ReadOnlySpan<char> path, ReadOnlySpan<char> externName)
        {
            var where = path.Length > 0 && path[0] == '/'
                ? $"and it is not declared 'extern {externName}'"
                : $"relative paths start at {node.Parent?.Path ?? "/"}";
            return $"{keyword} '{text}' of {node.Path}: cannot find node '{path}' ({where})";
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void CheckInLimit(Node node, InLimit inLimit, SourcePosition at)
        {
            var spec = inLimit.Path is null ? inLimit.Name : $"{inLimit.Path}:{inLimit.Name}";
            if (inLimit.Path is null)
            {
                for (Node? n = node; n is not null; n = n.Parent)
                {
                    if (n.FindLimit(inLimit.Name) is not null)
                    {
                        return;
                    }
                }

                Add(DiagnosticSeverity.Warning, at, 0, node, $"inlimit {spec} of {node.Path}: no limit named '{inLimit.Name}' on this node or above it");
                return;
            }

            if (_externs.Contains(spec))
            {
                return;
            }

            var holder = Resolve(node, inLimit.Path, out _);
            if (holder is null)
            {
                Add(DiagnosticSeverity.Warning, at, 0, node, $"inlimit {spec} of {node.Path}: cannot find node '{inLimit.Path}'");
            }
            else if (holder.FindLimit(inLimit.Name) is null)
            {
                Add(DiagnosticSeverity.Warning, at, 0, node, $"inlimit {spec} of {node.Path}: {holder.Path} has no limit named '{inLimit.Name}'");
            }
        }

        private void CheckAutoRestore(Node node, KeptAttribute kept, SourcePosition at)
        {
            var seen = new List<Node>();
            foreach (var path in kept.Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (_externs.Contains(path))
                {
                    continue;
                }

                var target = Resolve(node, path, out _);
                if (target is null)
                {
                    Add(DiagnosticSeverity.Error, at, 0, node, $"autorestore of {node.Path}: cannot find node '{path}'");
                }
                else if (target is Nodes.Task)
                {
                    Add(DiagnosticSeverity.Error, at, 0, node, $"autorestore of {node.Path}: '{path}' is a task; only suites and families can be restored");
                }
                else if (seen.Contains(target))
                {
                    Add(DiagnosticSeverity.Error, at, 0, node, $"autorestore of {node.Path}: '{path}' names {target.Path} a second time");
                }
                else
                {
                    seen.Add(target);
                }
            }
        }

        /// <summary>Resolves a node path from <paramref name="holder"/>; <paramref name="root"/> is set for `/` itself.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Node? Resolve(Node holder, ReadOnlySpan<char> path, out bool root)
        {
            root = false;
            if (path.Length == 0)
            {
                return null;
            }

            if (path[0] == '/')
            {
                root = path.Length == 1;
                return Walk(null, path[1..]);
            }

            var fromParent = Walk(holder.Parent, path);
            if (fromParent is not null || path[0] == '.' || holder is not NodeContainer)
            {
                return fromParent;
            }

            return Walk(holder, path);
        }

        /// <summary>Walks <paramref name="path"/> down from <paramref name="start"/> (null: the set of suites).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Node? Walk(Node? start, ReadOnlySpan<char> path)
        {
            var current = start;
            foreach (var range in path.Split('/'))
            {
                var part = path[range];
                if (part.Length == 0 || part is ".")
                {
                    continue;
                }

                if (part is "..")
                {
                    if (current is null)
                    {
                        return null;
                    }

                    current = current.Parent;
                    continue;
                }

                current = current is null ? FindFlow(part) : current is NodeContainer container ? container.FindChild(part) : null;
                if (current is null)
                {
                    return null;
                }
            }

            return current;
        }

        private Flow? FindFlow(ReadOnlySpan<char> name) => _flowLookup.TryGetValue(name, out var flow) ? flow : null;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static bool HasAttribute(Node node, ReadOnlySpan<char> name)
        {
            var events = node.Events;
            for (var i = 0; i < events.Count; i++)
            {
                if (name.SequenceEqual(events[i].Name) || (events[i].Number is { } n && IsNumber(name, n)))
                {
                    return true;
                }
            }

            var meters = node.Meters;
            for (var i = 0; i < meters.Count; i++)
            {
                if (name.SequenceEqual(meters[i].Name))
                {
                    return true;
                }
            }

            var parameters = node.Parameters;
            for (var i = 0; i < parameters.Count; i++)
            {
                if (name.SequenceEqual(parameters[i].Name))
                {
                    return true;
                }
            }

            var limits = node.Limits;
            for (var i = 0; i < limits.Count; i++)
            {
                if (name.SequenceEqual(limits[i].Name))
                {
                    return true;
                }
            }

            if (node.Repeat is { } repeat && IsRepeatVariable(repeat, name))
            {
                return true;
            }

            var kept = node.KeptAttributes;
            for (var i = 0; i < kept.Count; i++)
            {
                var arguments = kept[i].Arguments;
                if (kept[i].Keyword == "queue" && arguments.AsSpan().StartsWith(name) &&
                    (arguments.Length == name.Length || char.IsWhiteSpace(arguments[name.Length])))
                {
                    return true;
                }
            }

            var generated = node switch
            {
                Flow => SuiteVariables,
                Family => FamilyVariables,
                _ => TaskVariables,
            };
            return generated.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name);
        }

        private static bool IsRepeatVariable(Repeat repeat, ReadOnlySpan<char> name)
        {
            if (name.SequenceEqual(repeat.Name))
            {
                return true;
            }

            if (!name.StartsWith(repeat.Name) || name.Length <= repeat.Name.Length || name[repeat.Name.Length] != '_')
            {
                return false;
            }

            var suffix = name[repeat.Name.Length..];
            return repeat switch
            {
                RepeatDate or RepeatDateList => DateSuffixes.AsSpan().IndexOf(suffix.ToString()) >= 0,
                RepeatDateTime => true,
                _ => false,
            };
        }

        private static bool IsNumber(ReadOnlySpan<char> text, int number) =>
            int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value == number;

        private void Add(DiagnosticSeverity severity, SourcePosition at, int offset, Node node, string message) =>
            Diagnostics.Add(new Diagnostic(severity, _defs.FileName, at.Line, at.Column + offset, message, node.Path));

        private sealed record Analysis((int Offset, string Message)? Error, ExpressionReference[] References);
    }
}
