using System.Numerics;

namespace Takler.Core.Nodes;

/// <summary>
/// The index by name of the children of a container too big to scan: a table of positions in its children list,
/// found by the name's hash with linear probing and kept at most half full. A slot is 4 bytes, so a family of 50
/// children takes about 0.5 KB where a <see cref="Dictionary{TKey, TValue}"/> takes 1.6 KB (2,000 such families:
/// 2 MB less for a restart to touch, twice).
/// </summary>
internal sealed class ChildIndex
{
    // A child's position in the list plus one; 0 is an empty slot.
    private readonly int[] _slots;

    private ChildIndex(int capacity)
    {
        _slots = new int[BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity * 2, 8))];
    }

    /// <summary>An index of <paramref name="children"/>, with room for <paramref name="capacity"/> children in all.</summary>
    public static ChildIndex Of(List<Node> children, int capacity)
    {
        var index = new ChildIndex(Math.Max(capacity, children.Count));
        for (var i = 0; i < children.Count; i++)
        {
            index.Add(children[i].Name, i);
        }

        return index;
    }

    /// <summary>Whether <paramref name="count"/> children fit without the table getting more than half full.</summary>
    public bool HasRoomFor(int count) => count * 2 <= _slots.Length;

    /// <summary>Records that the child named <paramref name="name"/> is at <paramref name="position"/>.</summary>
    public void Add(string name, int position)
    {
        var mask = _slots.Length - 1;
        var slot = Start(name);
        while (_slots[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        _slots[slot] = position + 1;
    }

    /// <summary>The position in <paramref name="children"/> of the child named <paramref name="name"/>, or -1.</summary>
    public int Find(List<Node> children, ReadOnlySpan<char> name)
    {
        var mask = _slots.Length - 1;
        for (var slot = Start(name); _slots[slot] != 0; slot = (slot + 1) & mask)
        {
            var position = _slots[slot] - 1;
            if (name.SequenceEqual(children[position].Name))
            {
                return position;
            }
        }

        return -1;
    }

    private int Start(ReadOnlySpan<char> name) => string.GetHashCode(name) & (_slots.Length - 1);
}
