namespace Takler.Core.Nodes;

/// <summary>ecFlow's naming rule: a letter, digit or underscore first; then letters, digits, `_` or `.`.</summary>
public static class NodeNames
{
    /// <summary>Whether <paramref name="name"/> is a valid node (or attribute) name.</summary>
    public static bool IsValid(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetterOrDigit(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name.AsSpan(1))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws an error naming <paramref name="name"/> when it is not valid.</summary>
    public static void Validate(string name, string what)
    {
        if (!IsValid(name))
        {
            throw new TaklerException(
                TaklerErrorCode.UnsupportedValue,
                $"invalid {what} name '{name}': must start with a letter, digit or '_' and contain only letters, digits, '_' or '.'");
        }
    }
}
