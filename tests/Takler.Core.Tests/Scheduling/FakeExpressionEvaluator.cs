using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Takler.Core.Scheduling;

namespace Takler.Core.Tests.Scheduling;

/// <summary>
/// A stand-in for the expression language: understands only `PATH == STATUS` terms joined by ` and ` (and the
/// `-a`/`-o` parts of an expression attribute). Paths resolve with <see cref="Node.Resolve"/>.
/// </summary>
public sealed class FakeExpressionEvaluator : IExpressionEvaluator
{
    private readonly Dictionary<string, Term[]?> _parsed = new(StringComparer.Ordinal);

    /// <summary>How many times <see cref="Evaluate"/> ran.</summary>
    public int Evaluations { get; private set; }

    public ExpressionResult Evaluate(Node holder, ExpressionAttribute expression)
    {
        Evaluations++;
        ExpressionResult? result = null;
        foreach (var part in expression.Parts)
        {
            var value = EvaluatePart(holder, part.Text);
            if (value.Broken)
            {
                return value;
            }

            result = result is not { } previous ? value
                : part.Join == ExpressionJoin.Or ? (previous.Value ? previous : value)
                : (!previous.Value ? previous : value);
        }

        return result ?? ExpressionResult.True;
    }

    public IReadOnlyCollection<Node> Dependencies(Node holder, ExpressionAttribute expression)
    {
        var nodes = new List<Node>();
        foreach (var part in expression.Parts)
        {
            foreach (var term in Parse(part.Text) ?? [])
            {
                if (holder.Resolve(term.Path) is { } node && !nodes.Contains(node))
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
            if (holder.Resolve(term.Path) is not { } node)
            {
                return ExpressionResult.BrokenBecause($"{term.Path} does not exist (from {holder.Path})");
            }

            if (node.Status != term.Status)
            {
                return ExpressionResult.False($"{term.Text} ({term.Path} is {node.Status.Name()})");
            }
        }

        return ExpressionResult.True;
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

    private sealed record Term(string Text, string Path, NodeStatus Status);
}
