using System.Globalization;
using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Scheduling;

/// <summary>
/// Limits and in-limits. A task needs the tokens of every in-limit on it or above it: `inlimit NAME n` is held by the
/// task from submission to complete or abort (`-s`: to init only); `inlimit -n` on a family is held once by that family
/// while any task below it runs, and the tasks below are otherwise unconstrained by it. Token taking and releasing
/// is the model's (<see cref="Task"/>); this class decides who may take them.
/// </summary>
internal static class LimitRules
{
    /// <summary>The limit an in-limit names and the node that holds it; null when it does not exist.</summary>
    public static (Node Owner, Limit Limit)? Resolve(InLimit inLimit, Node declarer)
    {
        if (inLimit.Path is { } path)
        {
            var owner = declarer.Resolve(path);
            return owner?.FindLimit(inLimit.Name) is { } found ? (owner, found) : null;
        }

        for (Node? node = declarer; node is not null; node = node.Parent)
        {
            if (node.FindLimit(inLimit.Name) is { } limit)
            {
                return (node, limit);
            }
        }

        return null;
    }

    /// <summary>`/flow/fam:name`.</summary>
    public static string Name(Node owner, Limit limit) => $"{owner.Path}:{limit.Name}";

    /// <summary>Whether the node or one above it has an in-limit.</summary>
    public static bool HasInLimits(Node node)
    {
        for (Node? n = node; n is not null; n = n.Parent)
        {
            if (n.InLimits.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether every token <paramref name="task"/> would take on submission is free, counting those already promised
    /// in this pass (<paramref name="pending"/>); if so, promises them too.
    /// </summary>
    public static bool TryReserve(Task task, Dictionary<Limit, int> pending, HashSet<(Limit, Node)> pendingFamilies)
    {
        var needs = new List<(Limit Limit, int Tokens, Node? Family)>(2);
        foreach (var (inLimit, declarer) in task.ApplicableInLimits())
        {
            if (Resolve(inLimit, declarer) is not { } resolved)
            {
                return false;
            }

            var limit = resolved.Limit;
            if (inLimit.LimitFamilies && declarer is NodeContainer)
            {
                if (limit.IsHeldBy(declarer.Path) || pendingFamilies.Contains((limit, declarer)) ||
                    needs.Exists(n => n.Limit == limit && n.Family == declarer))
                {
                    continue;
                }

                needs.Add((limit, inLimit.Tokens, declarer));
            }
            else if (!limit.IsHeldBy(task.Path) && !needs.Exists(n => n.Limit == limit && n.Family is null))
            {
                needs.Add((limit, inLimit.Tokens, null));
            }
        }

        foreach (var (limit, _, _) in needs)
        {
            var total = 0;
            foreach (var n in needs)
            {
                if (n.Limit == limit)
                {
                    total += n.Tokens;
                }
            }

            if (limit.Value + pending.GetValueOrDefault(limit) + total > limit.Max)
            {
                return false;
            }
        }

        foreach (var (limit, tokens, family) in needs)
        {
            pending[limit] = pending.GetValueOrDefault(limit) + tokens;
            if (family is not null)
            {
                pendingFamilies.Add((limit, family));
            }
        }

        return true;
    }

    /// <summary>Adds a sentence for each in-limit that holds <paramref name="task"/> now.</summary>
    public static void Describe(Task task, List<string> reasons)
    {
        foreach (var (inLimit, declarer) in task.ApplicableInLimits())
        {
            if (Resolve(inLimit, declarer) is not { } resolved)
            {
                var where = inLimit.Path is { } p ? $"at {p}" : $"on {declarer.Path} or above it";
                reasons.Add($"inlimit {inLimit.Name} (on {declarer.Path}): there is no limit {inLimit.Name} {where}");
                continue;
            }

            var (owner, limit) = resolved;
            var family = inLimit.LimitFamilies && declarer is NodeContainer;
            var holder = family ? declarer.Path : task.Path;
            if (limit.IsHeldBy(holder))
            {
                continue;
            }

            var name = Name(owner, limit);
            if (inLimit.Tokens > limit.Max)
            {
                reasons.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"limit {name} (size {limit.Max}) can never give the {inLimit.Tokens} tokens {holder} needs"));
            }
            else if (limit.Value + inLimit.Tokens > limit.Max)
            {
                var who = family ? $" (family limit: {declarer.Path} needs a token)" : string.Empty;
                reasons.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"limit {name} is full ({limit.Value}/{limit.Max}: {Holders(limit)}){who}"));
            }
        }
    }

    private static string Holders(Limit limit)
    {
        const int Shown = 10;
        var parts = limit.Holders
            .Take(Shown)
            .Select(h => h.Value == 1 ? h.Key : string.Create(CultureInfo.InvariantCulture, $"{h.Key} ({h.Value})"));
        var text = string.Join(", ", parts);
        return limit.Holders.Count > Shown
            ? string.Create(CultureInfo.InvariantCulture, $"{text} and {limit.Holders.Count - Shown} more")
            : text;
    }
}
