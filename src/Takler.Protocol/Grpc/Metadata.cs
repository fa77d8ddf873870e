using System.Collections;

namespace Takler.Protocol.Grpc;

/// <summary>
/// Custom metadata of a call: request headers, or response trailers. An ordered list in which
/// a key may repeat. Supports collection initializers: <c>new Metadata { { "takler-user", "ops" } }</c>.
/// </summary>
public sealed class Metadata : IReadOnlyList<MetadataEntry>
{
    private readonly List<MetadataEntry> _entries = [];

    /// <summary>The number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>The entry at <paramref name="index"/>.</summary>
    public MetadataEntry this[int index] => _entries[index];

    /// <summary>Adds an ASCII entry (key lower-cased and validated; value printable ASCII).</summary>
    public void Add(string key, string value) => _entries.Add(new MetadataEntry(key, value));

    /// <summary>Adds a binary entry; the key must end with <c>-bin</c>.</summary>
    public void Add(string key, byte[] value) => _entries.Add(new MetadataEntry(key, value));

    /// <summary>Adds an entry.</summary>
    public void Add(MetadataEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _entries.Add(entry);
    }

    /// <summary>The first value of <paramref name="key"/> (case-insensitive), or null.</summary>
    public string? GetValue(string key) => Find(key)?.Value;

    /// <summary>The first binary value of <paramref name="key"/> (case-insensitive), or null.</summary>
    public byte[]? GetValueBytes(string key) => Find(key)?.ValueBytes;

    /// <summary>Every entry of <paramref name="key"/> (case-insensitive), in order.</summary>
    public IEnumerable<MetadataEntry> GetAll(string key) =>
        _entries.Where(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public IEnumerator<MetadataEntry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private MetadataEntry? Find(string key)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return entry;
            }
        }

        return null;
    }
}
