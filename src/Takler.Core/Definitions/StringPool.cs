using System.Runtime.CompilerServices;

namespace Takler.Core.Definitions;

/// <summary>
/// Shares equal strings read from a definition: node names, attribute names and short values repeat a lot in real
/// suites (every family has a `t1`, every trigger says `== complete`), so one copy each saves memory and allocations.
/// </summary>
internal sealed class StringPool
{
    /// <summary>Values longer than this are not shared; they are rarely repeated.</summary>
    internal const int MaxPooledLength = 96;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringPool()
    {
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The shared copy of <paramref name="text"/>, added on first use.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Get(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxPooledLength)
        {
            return text.ToString();
        }

        if (_lookup.TryGetValue(text, out var existing))
        {
            return existing;
        }

        var value = text.ToString();
        _strings.Add(value, value);
        return value;
    }

    /// <summary>The shared copy if there is one (no allocation); null otherwise.</summary>
    public string? Find(ReadOnlySpan<char> text) => _lookup.TryGetValue(text, out var existing) ? existing : null;
}
