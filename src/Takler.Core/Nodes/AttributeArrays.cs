namespace Takler.Core.Nodes;

/// <summary>
/// A node's attribute lists are plain arrays of exactly their length (null when empty), grown by one on each add.
/// A node has one or two of each kind, and a 100,000-task definition has hundreds of thousands of such lists: a
/// <see cref="List{T}"/> would add an object of 32 bytes to each (measured: about 13 MB for the benchmark's
/// definition, all of it memory the reader must touch and the collector must copy). Read-only views are the arrays
/// themselves, so reading allocates nothing either.
/// </summary>
internal static class AttributeArrays
{
    /// <summary>Appends <paramref name="item"/> (a new array one longer: adds are rare and lists short).</summary>
    public static void Append<T>(ref T[]? items, T item)
    {
        if (items is null)
        {
            items = [item];
            return;
        }

        var longer = new T[items.Length + 1];
        items.CopyTo(longer, 0);
        longer[^1] = item;
        items = longer;
    }

    /// <summary>Removes every item that matches; returns how many went. An emptied list becomes null.</summary>
    public static int RemoveAll<T>(ref T[]? items, Predicate<T> match)
    {
        if (items is null)
        {
            return 0;
        }

        var kept = Array.FindAll(items, item => !match(item));
        var removed = items.Length - kept.Length;
        if (removed > 0)
        {
            items = kept.Length == 0 ? null : kept;
        }

        return removed;
    }
}
