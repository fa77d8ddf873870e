using System.Globalization;

namespace Takler.Client;

/// <summary>
/// The connect file named by <c>TAKLER_CONNECT_FILE</c> (takler-compat §4.6): YAML with <c>server.address.hostname</c>,
/// <c>server.address.ip</c> and <c>server.address.port</c>, all required strings (an unquoted number is not a string).
/// Only that block-mapping subset of YAML is read: nested <c>key: value</c> lines, plain or quoted scalars, comments.
/// </summary>
public static class ConnectFile
{
    /// <summary>The environment variable naming the connect file.</summary>
    public const string Variable = "TAKLER_CONNECT_FILE";

    private static readonly string[] Required = ["server.address.hostname", "server.address.ip", "server.address.port"];

    /// <summary>Reads the file: its host name and port. Failures are Takler's: FileNotFoundError or ValidationError (exit 3).</summary>
    public static ServerAddress Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw TaklerClientException.Local("FileNotFoundError", $"[Errno 2] No such file or directory: '{path}'", innerException: e);
        }

        var values = Parse(text);
        var errors = new List<string>();
        foreach (var key in Required)
        {
            if (!values.TryGetValue(key, out var value))
            {
                errors.Add($"{key} Field required [type=missing]");
            }
            else if (!value.IsString)
            {
                errors.Add($"{key} Input should be a valid string [type=string_type, input_value={value.Text}]");
            }
        }

        if (errors.Count > 0)
        {
            throw TaklerClientException.Local(
                "ValidationError",
                string.Create(CultureInfo.InvariantCulture, $"{errors.Count} validation error{(errors.Count == 1 ? string.Empty : "s")} for ConnectFile {string.Join(' ', errors)}"));
        }

        return new ServerAddress(values["server.address.hostname"].Text, values["server.address.port"].Text);
    }

    private static Dictionary<string, (string Text, bool IsString)> Parse(string text)
    {
        var values = new Dictionary<string, (string, bool)>(StringComparer.Ordinal);
        var stack = new List<(int Indent, string Key)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = StripComment(raw.TrimEnd('\r'));
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith("---", StringComparison.Ordinal))
            {
                continue;
            }

            var indent = line.Length - line.TrimStart(' ').Length;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var key = Unquote(line[indent..colon].Trim()).Text;
            while (stack.Count > 0 && stack[^1].Indent >= indent)
            {
                stack.RemoveAt(stack.Count - 1);
            }

            var path = string.Join('.', stack.Select(s => s.Key).Append(key));
            var rest = line[(colon + 1)..].Trim();
            if (rest.Length == 0)
            {
                stack.Add((indent, key));
            }
            else
            {
                values[path] = Unquote(rest);
            }
        }

        return values;
    }

    private static string StripComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }

    // A quoted scalar is a string; a plain one is a string unless YAML reads it as a number, bool or null.
    private static (string Text, bool IsString) Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == value[^1] && value[0] is '\'' or '"')
        {
            var inner = value[1..^1];
            return (value[0] == '\'' ? inner.Replace("''", "'", StringComparison.Ordinal) : inner.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal), true);
        }

        var isOther = value is "~" or "null" or "Null" or "NULL" or "true" or "True" or "TRUE" or "false" or "False" or "FALSE"
            || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        return (value, !isOther);
    }
}
