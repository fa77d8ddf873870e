using System.Globalization;

namespace Takler.Core.Definitions.TaklerJson;

/// <summary>
/// Finds the first error Python's <c>json.loads</c> reports in a text, with its message
/// (<c>Expecting property name enclosed in double quotes: line 1 column 2 (char 1)</c>). Used only after
/// System.Text.Json has rejected the text, to answer with the words Takler's clients know.
/// </summary>
internal sealed class PythonJsonErrors
{
    private readonly string _s;

    private PythonJsonErrors(string text)
    {
        _s = text;
    }

    /// <summary>Python's error message for <paramref name="text"/>, or null when Python would accept it.</summary>
    public static string? Describe(string text)
    {
        try
        {
            new PythonJsonErrors(text).Document();
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
        catch (InsufficientExecutionStackException)
        {
            return null;
        }
    }

    private void Document()
    {
        if (_s.Length > 0 && _s[0] == '\uFEFF')
        {
            throw Error("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0);
        }

        var idx = SkipWhitespace(0);
        idx = Value(idx);
        idx = SkipWhitespace(idx);
        if (idx != _s.Length)
        {
            throw Error("Extra data", idx);
        }
    }

    /// <summary>Scans one value at <paramref name="idx"/>; returns the index after it.</summary>
    private int Value(int idx)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (idx >= _s.Length)
        {
            throw Error("Expecting value", idx);
        }

        switch (_s[idx])
        {
            case '"': return String(idx + 1);
            case '{': return Object(idx + 1);
            case '[': return Array(idx + 1);
        }

        foreach (var literal in (ReadOnlySpan<string>)["null", "true", "false", "NaN", "Infinity", "-Infinity"])
        {
            if (string.CompareOrdinal(_s, idx, literal, 0, literal.Length) == 0)
            {
                return idx + literal.Length;
            }
        }

        var end = Number(idx);
        return end > idx ? end : throw Error("Expecting value", idx);
    }

    /// <summary>Python's number pattern <c>-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?</c>; returns idx when none.</summary>
    private int Number(int idx)
    {
        var i = idx;
        if (i < _s.Length && _s[i] == '-')
        {
            i++;
        }

        if (i >= _s.Length || !char.IsAsciiDigit(_s[i]))
        {
            return idx;
        }

        if (_s[i] == '0')
        {
            i++;
        }
        else
        {
            while (i < _s.Length && char.IsAsciiDigit(_s[i]))
            {
                i++;
            }
        }

        if (i + 1 < _s.Length && _s[i] == '.' && char.IsAsciiDigit(_s[i + 1]))
        {
            i += 2;
            while (i < _s.Length && char.IsAsciiDigit(_s[i]))
            {
                i++;
            }
        }

        if (i < _s.Length && _s[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < _s.Length && _s[j] is '+' or '-')
            {
                j++;
            }

            if (j < _s.Length && char.IsAsciiDigit(_s[j]))
            {
                while (j < _s.Length && char.IsAsciiDigit(_s[j]))
                {
                    j++;
                }

                i = j;
            }
        }

        return i;
    }

    /// <summary>Scans a string whose opening quote is at <paramref name="idx"/> - 1.</summary>
    private int String(int idx)
    {
        var begin = idx - 1;
        var i = idx;
        while (true)
        {
            if (i >= _s.Length)
            {
                throw Error("Unterminated string starting at", begin);
            }

            var c = _s[i];
            if (c == '"')
            {
                return i + 1;
            }

            if (c < 0x20)
            {
                throw Error("Invalid control character at", i);
            }

            if (c != '\\')
            {
                i++;
                continue;
            }

            i++;
            if (i >= _s.Length)
            {
                throw Error("Unterminated string starting at", begin);
            }

            c = _s[i];
            if (c != 'u')
            {
                if (c is not ('"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't'))
                {
                    throw Error("Invalid \\escape", i - 1);
                }

                i++;
                continue;
            }

            i = HexEscape(i);
        }
    }

    /// <summary>Checks the four hex digits after the <c>u</c> at <paramref name="u"/>; returns the index after them.</summary>
    private int HexEscape(int u)
    {
        var end = u + 5;
        if (end >= _s.Length)
        {
            throw Error("Invalid \\uXXXX escape", u);
        }

        for (var k = u + 1; k < end; k++)
        {
            if (!char.IsAsciiHexDigit(_s[k]))
            {
                throw Error("Invalid \\uXXXX escape", u);
            }
        }

        return end;
    }

    private int Object(int idx)
    {
        idx = SkipWhitespace(idx);
        if (idx < _s.Length && _s[idx] == '}')
        {
            return idx + 1;
        }

        while (true)
        {
            if (idx >= _s.Length || _s[idx] != '"')
            {
                throw Error("Expecting property name enclosed in double quotes", idx);
            }

            idx = SkipWhitespace(String(idx + 1));
            if (idx >= _s.Length || _s[idx] != ':')
            {
                throw Error("Expecting ':' delimiter", idx);
            }

            idx = SkipWhitespace(Value(SkipWhitespace(idx + 1)));
            if (idx < _s.Length && _s[idx] == '}')
            {
                return idx + 1;
            }

            if (idx >= _s.Length || _s[idx] != ',')
            {
                throw Error("Expecting ',' delimiter", idx);
            }

            idx = SkipWhitespace(idx + 1);
        }
    }

    private int Array(int idx)
    {
        idx = SkipWhitespace(idx);
        if (idx < _s.Length && _s[idx] == ']')
        {
            return idx + 1;
        }

        while (true)
        {
            idx = SkipWhitespace(Value(idx));
            if (idx < _s.Length && _s[idx] == ']')
            {
                return idx + 1;
            }

            if (idx >= _s.Length || _s[idx] != ',')
            {
                throw Error("Expecting ',' delimiter", idx);
            }

            idx = SkipWhitespace(idx + 1);
        }
    }

    private int SkipWhitespace(int idx)
    {
        while (idx < _s.Length && _s[idx] is ' ' or '\t' or '\n' or '\r')
        {
            idx++;
        }

        return idx;
    }

    /// <summary><c>msg: line L column C (char N)</c>, counting in code points as Python's str does.</summary>
    private FormatException Error(string message, int index)
    {
        var pos = index;
        for (var i = 1; i < index && i < _s.Length; i++)
        {
            if (char.IsLowSurrogate(_s[i]) && char.IsHighSurrogate(_s[i - 1]))
            {
                pos--;
            }
        }

        var line = 1;
        var lastNewline = -1;
        for (var i = 0; i < index && i < _s.Length; i++)
        {
            if (_s[i] == '\n')
            {
                line++;
                lastNewline = i;
            }
        }

        var column = index - lastNewline;
        if (lastNewline >= 0)
        {
            // The column counts code points after the newline.
            for (var i = lastNewline + 2; i < index && i < _s.Length; i++)
            {
                if (char.IsLowSurrogate(_s[i]) && char.IsHighSurrogate(_s[i - 1]))
                {
                    column--;
                }
            }
        }
        else
        {
            column = pos + 1;
        }

        return new FormatException(string.Create(CultureInfo.InvariantCulture, $"{message}: line {line} column {column} (char {pos})"));
    }
}
