using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Takler.Core.Scheduling;

namespace Takler.Core.Tests.Scheduling;

/// <summary>
/// A stand-in for the expression language: understands only `PATH == STATUS` terms joined by ` and ` (and the
/// `-a`/`-o` parts of an expression attribute). Paths resolve with <see cref="Node.Resolve"/>; a resolved node is
/// kept until it leaves the tree, and explanations are made once per term and status, so that the scheduler's
/// benchmark measures the scheduler.
/// </summary>
public sealed class FakeExpressionEvaluator : IExpressionEvaluator
{
    private readonly Dictionary<string, Term[]?> _parsed = new(StringComparer.Ordinal);
    private readonly Dictionary<(Node Holder, Term Term), Node> _bound = [];

    /// <summary>How many times <see cref="Evaluate"/> ran.</summary>
    public int Evaluations { get; private set; }

    public ExpressionResult Evaluate(Node holder, ExpressionAttribute expression, bool explain)
    {
        Evaluations++;
        var parts = expression.Parts;
        ExpressionResult? result = null;
        for (var i = 0; i < parts.Count; i++)
        {
            var value = EvaluatePart(holder, parts[i].Text);
            if (value.Broken)
            {
                return value;
            }

            result = result is not { } previous ? value
                : parts[i].Join == ExpressionJoin.Or ? (previous.Value ? previous : value)
                : (!previous.Value ? previous : value);
        }

        return result ?? ExpressionResult.True;
    }

    public IReadOnlyCollection<Node> Dependencies(Node holder, ExpressionAttribute expression)
    {
        var nodes = new List<Node>(1);
        foreach (var part in expression.Parts)
        {
            foreach (var term in Parse(part.Text) ?? [])
            {
                if (Bind(holder, term) is { } node && !nodes.Contains(node))
                {
                    nodes.Add(node);
                }
            }
        }

        return nodes;
    }

    private ExpressionResult EvaluatePart(Node holder, string text)
    {
        if (Parse(text) is not { } terms)
        {
            return ExpressionResult.BrokenBecause($"cannot read '{text}'");
        }

        foreach (var term in terms)
        {
            if (Bind(holder, term) is not { } node)
            {
                return ExpressionResult.BrokenBecause($"{term.Path} does not exist (from {holder.Path})");
            }

            if (node.Status != term.Status)
            {
                return ExpressionResult.False(term.Explain(node.Status));
            }
        }

        return ExpressionResult.True;
    }

    private Node? Bind(Node holder, Term term)
    {
        if (_bound.TryGetValue((holder, term), out var node) && node.Flow is { } flow && flow == holder.Flow)
        {
            return node;
        }

        node = holder.Resolve(term.Path);
        if (node is null)
        {
            _bound.Remove((holder, term));
        }
        else
        {
            _bound[(holder, term)] = node;
        }

        return node;
    }

    private Term[]? Parse(string text)
    {
        if (_parsed.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var terms = new List<Term>();
        foreach (var raw in text.Split(" and ", StringSplitOptions.TrimEntries))
        {
            var parts = raw.Split("==", StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || !NodeStatuses.TryParse(parts[1], out var status))
            {
                _parsed[text] = null;
                return null;
            }

            terms.Add(new Term(raw, parts[0], status));
        }

        var result = terms.ToArray();
        _parsed[text] = result;
        return result;
    }

    private sealed class Term(string text, string path, NodeStatus status)
    {
        private readonly string?[] _explanations = new string?[NodeStatuses.All.Count];

        public string Path { get; } = path;

        public NodeStatus Status { get; } = status;

        public string Explain(NodeStatus actual) =>
            _explanations[(int)actual] ??= $"{text} ({Path} is {actual.Name()})";
    }
}
