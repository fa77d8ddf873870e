using System.Collections;
using System.Runtime.CompilerServices;

namespace Takler.Core.Nodes;

/// <summary>
/// A node's attributes of one kind (its parameters, events, meters or labels), in order. Most nodes have none or one
/// of a kind, so one is held alone and only two or more take an array: a task of a large suite with a parameter, an
/// event, a meter and a label keeps four arrays fewer (about 130 bytes, 13 MB for 100,000 tasks read on a restart).
/// A value copy: enumerating it, indexing it or counting it allocates nothing.
/// </summary>
public readonly struct AttributeList<T> : IReadOnlyList<T>, IEquatable<AttributeList<T>>
    where T : class
{
    // null (none), a T (one), or a T[] (two or more).
    private readonly object? _items;

    private AttributeList(object? items)
    {
        _items = items;
    }

    /// <summary>No attributes.</summary>
    public static AttributeList<T> Empty => default;

    // The item alone is tested first: for a sealed class that is one comparison, cheaper than a test for an array.
    public int Count => _items is null ? 0 : _items is T ? 1 : Many.Length;

    public T this[int index] => _items switch
    {
        T one when index == 0 => one,
        not null and not T when (uint)index < (uint)Many.Length => Many[index],
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"the list has {Count} items"),
    };

    /// <summary>The array, when there are two or more.</summary>
    private T[] Many => Unsafe.As<T[]>(_items)!;

    public static bool operator ==(AttributeList<T> left, AttributeList<T> right) => left.Equals(right);

    public static bool operator !=(AttributeList<T> left, AttributeList<T> right) => !left.Equals(right);

    /// <summary>The list with <paramref name="item"/> after the others (a new array: adds are rare and lists short).</summary>
    internal AttributeList<T> Append(T item) => new(_items switch
    {
        null => item,
        T[] many => (T[])[.. many, item],
        _ => new[] { (T)_items, item },
    });

    /// <summary>The list with <paramref name="item"/> in place of the one at <paramref name="index"/>.</summary>
    internal AttributeList<T> Replacing(int index, T item)
    {
        if (_items is T[] many)
        {
            var copy = (T[])many.Clone();
            copy[index] = item;
            return new(copy);
        }

        _ = this[index]; // in range
        return new(item);
    }

    /// <summary>The list without the items that match, and how many went.</summary>
    internal AttributeList<T> Without(Predicate<T> match, out int removed)
    {
        var kept = new List<T>(Count);
        foreach (var item in this)
        {
            if (!match(item))
            {
                kept.Add(item);
            }
        }

        removed = Count - kept.Count;
        return removed == 0 ? this : kept.Count switch
        {
            0 => default,
            1 => new(kept[0]),
            _ => new(kept.ToArray()),
        };
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Whether both hold equal items in the same order.</summary>
    public bool Equals(AttributeList<T> other)
    {
        if (ReferenceEquals(_items, other._items))
        {
            return true;
        }

        if (Count != other.Count)
        {
            return false;
        }

        for (var i = 0; i < Count; i++)
        {
            if (!EqualityComparer<T>.Default.Equals(this[i], other[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is AttributeList<T> other && Equals(other);

    public override int GetHashCode() => Count;

    /// <summary>Walks an <see cref="AttributeList{T}"/> without allocating.</summary>
    public struct Enumerator : IEnumerator<T>
    {
        private readonly T? _one;
        private readonly T[]? _many;
        private readonly int _count;
        private int _index;

        internal Enumerator(AttributeList<T> list)
        {
            _one = list._items as T;
            _many = list._items is null || _one is not null ? null : list.Many;
            _count = list.Count;
            _index = -1;
        }

        public readonly T Current => _many is null ? _one! : _many[_index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < _count;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
