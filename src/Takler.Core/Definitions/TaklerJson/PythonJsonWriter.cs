using System.Globalization;
using System.Text;

namespace Takler.Core.Definitions.TaklerJson;

/// <summary>
/// Writes JSON the way Python's <c>json.dumps</c> does with <c>ensure_ascii=True</c>: compact with the separators
/// <c>", "</c> and <c>": "</c>, or with <c>indent=n</c> (then <c>","</c> and a new line). System.Text.Json cannot
/// produce these separators, hence this small writer.
/// </summary>
internal sealed class PythonJsonWriter
{
    private const string Hex = "0123456789abcdef";
    private readonly StringBuilder _out;
    private readonly int? _indent;
    private int _depth;
    private bool _first = true;
    private bool _afterName;

    /// <param name="output">Where the text goes.</param>
    /// <param name="indent">Spaces per level, as Python's <c>indent=</c>; null writes one compact line.</param>
    public PythonJsonWriter(StringBuilder output, int? indent = null)
    {
        _out = output;
        _indent = indent;
    }

    public void StartObject()
    {
        BeforeValue();
        _out.Append('{');
        _depth++;
        _first = true;
    }

    public void EndObject() => End('}');

    public void StartArray()
    {
        BeforeValue();
        _out.Append('[');
        _depth++;
        _first = true;
    }

    public void EndArray() => End(']');

    public void PropertyName(string name)
    {
        BeforeValue();
        WriteEscaped(name);
        _out.Append(": ");
        _afterName = true;
    }

    public void String(string? value)
    {
        BeforeValue();
        if (value is null)
        {
            _out.Append("null");
        }
        else
        {
            WriteEscaped(value);
        }
    }

    public void Number(long value)
    {
        BeforeValue();
        _out.Append(value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A number already in its final text (<c>0.5</c>, <c>12345678901234567890</c>, <c>NaN</c>).</summary>
    public void RawNumber(string text)
    {
        BeforeValue();
        _out.Append(text);
    }

    public void Boolean(bool value)
    {
        BeforeValue();
        _out.Append(value ? "true" : "false");
    }

    public void Null()
    {
        BeforeValue();
        _out.Append("null");
    }

    public void Property(string name, string? value)
    {
        PropertyName(name);
        String(value);
    }

    public void Property(string name, long value)
    {
        PropertyName(name);
        Number(value);
    }

    public void Property(string name, bool value)
    {
        PropertyName(name);
        Boolean(value);
    }

    private void End(char close)
    {
        _depth--;
        if (!_first && _indent is not null)
        {
            NewLine();
        }

        _out.Append(close);
        _first = false;
    }

    private void BeforeValue()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        if (_depth == 0)
        {
            return;
        }

        if (!_first)
        {
            _out.Append(_indent is null ? ", " : ",");
        }

        if (_indent is not null)
        {
            NewLine();
        }

        _first = false;
    }

    private void NewLine() => _out.Append('\n').Append(' ', _indent.GetValueOrDefault() * _depth);

    private void WriteEscaped(string value)
    {
        _out.Append('"');
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is >= ' ' and <= '~' and not '"' and not '\\')
            {
                continue;
            }

            _out.Append(value, start, i - start);
            start = i + 1;
            switch (c)
            {
                case '"': _out.Append("\\\""); break;
                case '\\': _out.Append("\\\\"); break;
                case '\n': _out.Append("\\n"); break;
                case '\r': _out.Append("\\r"); break;
                case '\t': _out.Append("\\t"); break;
                case '\b': _out.Append("\\b"); break;
                case '\f': _out.Append("\\f"); break;
                default:
                    // Non-ASCII as \uXXXX in lower case; a char above U+FFFF is already a surrogate pair in UTF-16.
                    _out.Append("\\u")
                        .Append(Hex[(c >> 12) & 0xF]).Append(Hex[(c >> 8) & 0xF])
                        .Append(Hex[(c >> 4) & 0xF]).Append(Hex[c & 0xF]);
                    break;
            }
        }

        _out.Append(value, start, value.Length - start).Append('"');
    }
}
