namespace Takler.Core.Attributes;

/// <summary>
/// A limit: at most <see cref="Max"/> tokens in use by the nodes below it that name it in an in-limit.
/// Holders are kept by absolute path so that state survives a snapshot.
/// </summary>
public sealed class Limit
{
    private readonly SortedDictionary<string, int> _holders = new(StringComparer.Ordinal);

    public Limit(string name, int max)
    {
        Nodes.NodeNames.Validate(name, "limit");
        if (max < 0)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"limit {name}: size {max} is negative");
        }

        Name = name;
        Max = max;
    }

    public string Name { get; }

    /// <summary>How many tokens may be in use at once.</summary>
    public int Max { get; internal set; }

    /// <summary>Tokens in use.</summary>
    public int Value { get; private set; }

    /// <summary>The holders (absolute paths, sorted) and how many tokens each holds.</summary>
    public IReadOnlyDictionary<string, int> Holders => _holders;

    /// <summary>Whether <paramref name="tokens"/> more could be taken now.</summary>
    public bool CanTake(int tokens) => Value + tokens <= Max;

    /// <summary>Whether <paramref name="holderPath"/> holds tokens.</summary>
    public bool IsHeldBy(string holderPath) => _holders.ContainsKey(holderPath);

    internal void Take(string holderPath, int tokens)
    {
        if (_holders.TryGetValue(holderPath, out var held))
        {
            _holders[holderPath] = held + tokens;
        }
        else
        {
            _holders.Add(holderPath, tokens);
        }

        Value += tokens;
    }

    internal bool Release(string holderPath)
    {
        if (!_holders.Remove(holderPath, out var held))
        {
            return false;
        }

        Value -= held;
        return true;
    }

    internal void Clear()
    {
        _holders.Clear();
        Value = 0;
    }

    /// <summary>Restores usage as recorded in a snapshot.</summary>
    internal void RestoreUsage(IEnumerable<KeyValuePair<string, int>> holders, int? value = null)
    {
        Clear();
        foreach (var (path, tokens) in holders)
        {
            Take(path, tokens);
        }

        if (value is { } v)
        {
            Value = v;
        }
    }
}
