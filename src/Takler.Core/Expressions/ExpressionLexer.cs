using Takler.Core.Nodes;

namespace Takler.Core.Expressions;

/// <summary>
/// Splits an expression into tokens, on demand. Keywords are case-insensitive (`and`, `AND`, `eq`, `complete`).
/// A word is a run of letters, digits, `_`, `.` and `/`: only digits make an integer, a keyword makes itself,
/// anything else is a node path. So `10` is a number but `10a`, `./10` and `10/t` are paths (ecFlow names may start
/// with a digit). A `/` right after a value (a path, number, name or `)`) divides: write `a / 2`, not `a/2`,
/// which is the path to node 2 in family a.
/// </summary>
public sealed class ExpressionLexer
{
    private readonly string _text;
    private readonly int _firstLine;
    private int _pos;
    private int _line;
    private int _lineStart;
    private bool _afterOperand;

    /// <summary>A lexer over <paramref name="text"/>; <paramref name="firstLine"/> is the number of its first line. The default value is 1.</summary>
    public ExpressionLexer(string text, int firstLine = 1)
    {
        _text = text;
        _firstLine = firstLine;
        _line = firstLine;
    }

    /// <summary>The text being read.</summary>
    public string Text => _text;

    /// <summary>Every token of <paramref name="text"/>, the final <see cref="ExpressionTokenKind.End"/> included.</summary>
    public static IReadOnlyList<ExpressionToken> Tokenize(string text)
    {
        var lexer = new ExpressionLexer(text);
        var tokens = new List<ExpressionToken>();
        ExpressionToken token;
        do
        {
            token = lexer.Next();
            tokens.Add(token);
            if (token.Kind == ExpressionTokenKind.Colon)
            {
                token = lexer.NextName();
                tokens.Add(token);
            }
        }
        while (token.Kind != ExpressionTokenKind.End);

        return tokens;
    }

    /// <summary>The next token; throws <see cref="ExpressionSyntaxException"/> at a character that starts no token.</summary>
    public ExpressionToken Next()
    {
        var token = Scan();
        _afterOperand = token.EndsOperand;
        return token;
    }

    /// <summary>
    /// The next token read as a name (after `:`): letters, digits, `_` and `.`, so that `t:1`, `t:set` or
    /// `t:YMD_YYYY` name an attribute. When no name follows, the ordinary next token.
    /// </summary>
    public ExpressionToken NextName()
    {
        SkipWhitespace();
        var start = _pos;
        while (_pos < _text.Length && IsNameChar(_text[_pos]))
        {
            _pos++;
        }

        if (_pos == start)
        {
            return Next();
        }

        _afterOperand = true;
        return Make(ExpressionTokenKind.Name, start);
    }

    /// <summary>An error at offset <paramref name="offset"/> of the text, with its line and column.</summary>
    internal ExpressionSyntaxException ErrorAt(int offset, string detail)
    {
        var line = _firstLine;
        var lineStart = 0;
        for (var i = 0; i < offset && i < _text.Length; i++)
        {
            if (_text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new ExpressionSyntaxException(line, offset - lineStart + 1, detail);
    }

    private ExpressionToken Scan()
    {
        SkipWhitespace();
        var start = _pos;
        if (_pos >= _text.Length)
        {
            return Make(ExpressionTokenKind.End, start);
        }

        var c = _text[_pos];
        var next = _pos + 1 < _text.Length ? _text[_pos + 1] : '\0';
        switch (c)
        {
            case '(':
                return Symbol(ExpressionTokenKind.LeftParen, 1);
            case ')':
                return Symbol(ExpressionTokenKind.RightParen, 1);
            case ':':
                return Symbol(ExpressionTokenKind.Colon, 1);
            case '+':
                return Symbol(ExpressionTokenKind.Plus, 1);
            case '-':
                return Symbol(ExpressionTokenKind.Minus, 1);
            case '*':
                return Symbol(ExpressionTokenKind.Star, 1);
            case '%':
                return Symbol(ExpressionTokenKind.Percent, 1);
            case '~':
                return Symbol(ExpressionTokenKind.Not, 1);
            case '/' when _afterOperand:
                return Symbol(ExpressionTokenKind.Slash, 1);
            case '=' when next == '=':
                return Symbol(ExpressionTokenKind.Equal, 2);
            case '!':
                return next == '=' ? Symbol(ExpressionTokenKind.NotEqual, 2) : Symbol(ExpressionTokenKind.Not, 1);
            case '<':
                return next == '=' ? Symbol(ExpressionTokenKind.LessOrEqual, 2) : Symbol(ExpressionTokenKind.Less, 1);
            case '>':
                return next == '=' ? Symbol(ExpressionTokenKind.GreaterOrEqual, 2) : Symbol(ExpressionTokenKind.Greater, 1);
            case '&' when next == '&':
                return Symbol(ExpressionTokenKind.And, 2);
            case '|' when next == '|':
                return Symbol(ExpressionTokenKind.Or, 2);
            default:
                break;
        }

        if (IsWordChar(c))
        {
            return Word(start);
        }

        var detail = c switch
        {
            '=' => "unexpected '=': write '==' (or 'eq') to compare",
            '&' => "unexpected '&': write '&&' (or 'and')",
            '|' => "unexpected '|': write '||' (or 'or')",
            _ when char.IsControl(c) => $"unexpected character U+{(int)c:X4}",
            _ => $"unexpected character '{c}'",
        };
        throw ErrorAt(start, detail);
    }

    private ExpressionToken Word(int start)
    {
        var allDigits = true;
        var plain = true;
        while (_pos < _text.Length && IsWordChar(_text[_pos]))
        {
            var c = _text[_pos];
            allDigits &= char.IsAsciiDigit(c);
            plain &= char.IsAsciiLetter(c);
            _pos++;
        }

        var word = _text.AsSpan(start, _pos - start);
        if (allDigits)
        {
            if (!long.TryParse(word, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                throw ErrorAt(start, $"number {word} is too large");
            }

            return Make(ExpressionTokenKind.Integer, start, value);
        }

        if (plain && Keyword(word) is { } keyword)
        {
            return keyword.Kind == ExpressionTokenKind.Status
                ? Make(ExpressionTokenKind.Status, start, (long)keyword.Status, keyword.Status)
                : Make(keyword.Kind, start, keyword.Value);
        }

        ValidatePath(word, start);
        return Make(ExpressionTokenKind.Path, start);
    }

    private void ValidatePath(ReadOnlySpan<char> path, int start)
    {
        var offset = path[0] == '/' ? 1 : 0;
        if (offset == 1 && path.Length == 1)
        {
            throw ErrorAt(start, "expected a node name after '/'");
        }

        while (offset <= path.Length)
        {
            var rest = path[offset..];
            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            if (segment.Length == 0)
            {
                throw ErrorAt(start + offset, slash < 0
                    ? $"path '{path}' ends with '/': expected a node name"
                    : $"path '{path}' has an empty part ('//')");
            }

            if (!segment.SequenceEqual(".") && !segment.SequenceEqual("..") && !IsNodeName(segment))
            {
                throw ErrorAt(start + offset, $"'{segment}' in path '{path}' is not a node name (a letter, digit or '_', then letters, digits, '_' or '.')");
            }

            if (slash < 0)
            {
                break;
            }

            offset += slash + 1;
        }
    }

    private static (ExpressionTokenKind Kind, long Value, NodeStatus Status)? Keyword(ReadOnlySpan<char> word)
    {
        return word.Length switch
        {
            2 when Is(word, "or") => (ExpressionTokenKind.Or, 0, default),
            2 when Is(word, "eq") => (ExpressionTokenKind.Equal, 0, default),
            2 when Is(word, "ne") => (ExpressionTokenKind.NotEqual, 0, default),
            2 when Is(word, "lt") => (ExpressionTokenKind.Less, 0, default),
            2 when Is(word, "le") => (ExpressionTokenKind.LessOrEqual, 0, default),
            2 when Is(word, "gt") => (ExpressionTokenKind.Greater, 0, default),
            2 when Is(word, "ge") => (ExpressionTokenKind.GreaterOrEqual, 0, default),
            3 when Is(word, "and") => (ExpressionTokenKind.And, 0, default),
            3 when Is(word, "not") => (ExpressionTokenKind.Not, 0, default),
            3 when Is(word, "set") => (ExpressionTokenKind.EventValue, 1, default),
            5 when Is(word, "clear") => (ExpressionTokenKind.EventValue, 0, default),
            5 when Is(word, "unset") => (ExpressionTokenKind.EventValue, 0, default),
            6 when Is(word, "queued") => (ExpressionTokenKind.Status, 0, NodeStatus.Queued),
            6 when Is(word, "active") => (ExpressionTokenKind.Status, 0, NodeStatus.Active),
            7 when Is(word, "unknown") => (ExpressionTokenKind.Status, 0, NodeStatus.Unknown),
            7 when Is(word, "aborted") => (ExpressionTokenKind.Status, 0, NodeStatus.Aborted),
            8 when Is(word, "complete") => (ExpressionTokenKind.Status, 0, NodeStatus.Complete),
            9 when Is(word, "submitted") => (ExpressionTokenKind.Status, 0, NodeStatus.Submitted),
            _ => null,
        };

        static bool Is(ReadOnlySpan<char> word, string keyword) => word.Equals(keyword, StringComparison.OrdinalIgnoreCase);
    }

    private ExpressionToken Symbol(ExpressionTokenKind kind, int length)
    {
        var start = _pos;
        _pos += length;
        return Make(kind, start);
    }

    private ExpressionToken Make(ExpressionTokenKind kind, int start, long number = 0, NodeStatus status = NodeStatus.Unknown) =>
        new(kind, start, _pos - start, _line, start - _lineStart + 1, number, status);

    private void SkipWhitespace()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\n')
            {
                _line++;
                _lineStart = _pos + 1;
            }
            else if (c is not (' ' or '\t' or '\r'))
            {
                return;
            }

            _pos++;
        }
    }

    /// <summary><see cref="NodeNames.IsValid"/> on a span, without allocating.</summary>
    private static bool IsNodeName(ReadOnlySpan<char> name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetterOrDigit(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name[1..])
        {
            if (!IsNameChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/';

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.';
}
