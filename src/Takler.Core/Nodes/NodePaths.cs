namespace Takler.Core.Nodes;

/// <summary>Path syntax: absolute `/flow/fam/task`; relative `./x`, `../x`, `../../a/b`; a bare sibling name `x`.</summary>
public static class NodePaths
{
    /// <summary>Rejects a path that is not absolute, or `/` alone (<see cref="TaklerErrorCode.InvalidNodePath"/>).</summary>
    public static void RequireAbsolute(string path)
    {
        if (path.Length < 2 || path[0] != '/')
        {
            throw new TaklerException(TaklerErrorCode.InvalidNodePath, $"absolute node path is illegal: {path}");
        }
    }

    /// <summary>Whether the text is an absolute path.</summary>
    public static bool IsAbsolute(string path) => path.Length > 1 && path[0] == '/';

    /// <summary>Resolves an absolute path in a bunch.</summary>
    public static Node? ResolveAbsolute(Bunch bunch, string path)
    {
        var span = path.AsSpan(1);
        var slash = span.IndexOf('/');
        var flowName = slash < 0 ? span : span[..slash];
        Node? node = null;
        foreach (var flow in bunch.Flows)
        {
            if (flowName.SequenceEqual(flow.Name))
            {
                node = flow;
                break;
            }
        }

        if (node is null || slash < 0)
        {
            return node;
        }

        return Descend(node, span[(slash + 1)..]);
    }

    /// <summary>Resolves a path from <paramref name="from"/>; relative paths start at its parent (the siblings).</summary>
    public static Node? Resolve(Node from, string path)
    {
        if (path.Length == 0)
        {
            return null;
        }

        if (path[0] == '/')
        {
            if (from.Bunch is { } bunch)
            {
                return ResolveAbsolute(bunch, path);
            }

            // Not in a bunch yet: resolve within this node's own flow.
            var root = RootOf(from);
            var span = path.AsSpan(1);
            var slash = span.IndexOf('/');
            var flowName = slash < 0 ? span : span[..slash];
            if (!flowName.SequenceEqual(root.Name))
            {
                return null;
            }

            return slash < 0 ? root : Descend(root, span[(slash + 1)..]);
        }

        Node current = from.Parent ?? from;
        return Descend(current, path.AsSpan());
    }

    private static Node RootOf(Node node)
    {
        while (node.Parent is not null)
        {
            node = node.Parent;
        }

        return node;
    }

    private static Node? Descend(Node start, ReadOnlySpan<char> rest)
    {
        Node? node = start;
        while (rest.Length > 0 && node is not null)
        {
            var slash = rest.IndexOf('/');
            var part = slash < 0 ? rest : rest[..slash];
            rest = slash < 0 ? [] : rest[(slash + 1)..];
            if (part.Length == 0 || part.SequenceEqual("."))
            {
                continue;
            }

            if (part.SequenceEqual(".."))
            {
                node = node.Parent;
                continue;
            }

            node = node is NodeContainer container ? container.FindChild(part) : null;
        }

        return node;
    }
}
