namespace Takler.Core.Definitions.SnapshotJson;

/// <summary>
/// The strings of one snapshot read, keyed by their UTF-8 bytes as they stand in the document. A large tree repeats
/// the same few values thousands of times (task names <c>t0</c>, attribute names <c>done</c> or <c>progress</c>,
/// parameter names and values, trigger texts of look-alike families): each is decoded once and the restored tree
/// shares one immutable string, which saves both the decoding and the memory of the copies. Only strings are
/// shared, never the mutable attribute objects that hold them.
/// </summary>
internal sealed class Utf8StringPool
{
    /// <summary>Longer values are rarely repeated; they are decoded each time and not kept.</summary>
    public const int MaxLength = 256;

    private readonly Dictionary<byte[], string> _strings = new(new BytesComparer());
    private readonly Dictionary<byte[], string>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public Utf8StringPool()
    {
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>The string kept for <paramref name="utf8"/>, if any.</summary>
    public bool TryGet(ReadOnlySpan<byte> utf8, out string value) => _lookup.TryGetValue(utf8, out value!);

    /// <summary>Keeps <paramref name="value"/>, the decoded form of <paramref name="utf8"/>.</summary>
    public void Add(ReadOnlySpan<byte> utf8, string value) => _lookup.TryAdd(utf8, value);

    /// <summary>Compares keys by content, and lets a span of the document look a key up without a copy.</summary>
    private sealed class BytesComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => Hash(obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

        private static int Hash(ReadOnlySpan<byte> bytes)
        {
            var hash = default(HashCode);
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }
    }
}
