using System.Runtime.CompilerServices;

namespace Takler.Core.Definitions;

/// <summary>A token of a definition file: a range of the text and where it starts.</summary>
internal readonly record struct DefsToken(int Start, int Length, int Line, int Column)
{
    public int End => Start + Length;
}

/// <summary>
/// Splits a definition text into statements and their tokens without copying it. A statement ends at a newline or a
/// `;` outside quotes; `#` at the start of a token begins a comment that runs to the end of the line (state files keep
/// values there); a token starting with a quote runs to the matching quote on the same line; a `\` at the end of a
/// line continues a `trigger` or `complete` on the next one.
/// </summary>
internal sealed class DefsLexer
{
    private readonly string _text;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    public DefsLexer(string text)
    {
        _text = text;
    }

    /// <summary>The tokens of the current statement.</summary>
    public List<DefsToken> Tokens { get; } = new(16);

    /// <summary>Start of the comment text (after `#`) on the statement's line, or -1 when there is none.</summary>
    public int CommentStart { get; private set; } = -1;

    /// <summary>End (exclusive) of the comment text.</summary>
    public int CommentEnd { get; private set; } = -1;

    /// <summary>True when a `\` continuation joined lines in the current statement.</summary>
    public bool Continued { get; private set; }

    /// <summary>The line the lexer is on (1-based), for errors at the end of the text.</summary>
    public int Line => _line;

    /// <summary>The comment of the current statement, trimmed; empty when there is none.</summary>
    public ReadOnlySpan<char> Comment => CommentStart < 0 ? [] : _text.AsSpan(CommentStart, CommentEnd - CommentStart).Trim();

    /// <summary>The text of a token.</summary>
    public ReadOnlySpan<char> Span(DefsToken token) => _text.AsSpan(token.Start, token.Length);

    /// <summary>Reads the next statement that has tokens; false at the end of the text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Next()
    {
        while (true)
        {
            Tokens.Clear();
            CommentStart = -1;
            CommentEnd = -1;
            Continued = false;
            ReadStatement();
            if (Tokens.Count > 0)
            {
                return true;
            }

            if (_pos >= _text.Length)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Reads whole lines up to a line whose first word is <paramref name="endKeyword"/> (consumed), adding each
    /// trimmed, non-empty line to <paramref name="lines"/>. False when the text ends first.
    /// </summary>
    public bool ReadLinesUntil(string endKeyword, List<string> lines)
    {
        while (_pos < _text.Length)
        {
            var end = _text.IndexOf('\n', _pos);
            var lineEnd = end < 0 ? _text.Length : end;
            var line = _text.AsSpan(_pos, lineEnd - _pos).Trim();
            _pos = end < 0 ? _text.Length : end + 1;
            if (end >= 0)
            {
                NewLine();
            }

            if (line.StartsWith(endKeyword, StringComparison.Ordinal) &&
                (line.Length == endKeyword.Length || char.IsWhiteSpace(line[endKeyword.Length]) || line[endKeyword.Length] is '#' or ';'))
            {
                return true;
            }

            if (line.Length > 0)
            {
                lines.Add(line.ToString());
            }
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadStatement()
    {
        var text = _text;
        var allowContinuation = false;
        while (_pos < text.Length)
        {
            var c = text[_pos];
            switch (c)
            {
                case '\n':
                    _pos++;
                    NewLine();
                    return;
                case ' ' or '\t' or '\r' or '\f' or '\v':
                    _pos++;
                    continue;
                case ';':
                    _pos++;
                    return;
                case '#':
                    {
                        var end = text.IndexOf('\n', _pos);
                        end = end < 0 ? text.Length : end;
                        CommentStart = _pos + 1;
                        CommentEnd = end > CommentStart && text[end - 1] == '\r' ? end - 1 : end;
                        _pos = end;
                        continue;
                    }

                case '\\' when allowContinuation && IsContinuation(_pos, out var next):
                    _pos = next;
                    if (next <= text.Length && text[next - 1] == '\n')
                    {
                        NewLine();
                    }

                    Continued = true;
                    continue;
            }

            var start = _pos;
            if (c is '"' or '\'')
            {
                // A quoted token runs to the matching quote on the same line (an unmatched quote: to the line's end).
                var i = _pos + 1;
                while (i < text.Length && text[i] != c && text[i] != '\n')
                {
                    i++;
                }

                _pos = i < text.Length && text[i] == c ? i + 1 : i;
            }

            while (_pos < text.Length)
            {
                var ch = text[_pos];
                if (ch is ' ' or '\t' or '\r' or '\n' or ';' or '\f' or '\v')
                {
                    break;
                }

                if (ch == '\\' && allowContinuation && IsContinuation(_pos, out _))
                {
                    break;
                }

                _pos++;
            }

            Tokens.Add(new DefsToken(start, _pos - start, _line, start - _lineStart + 1));
            if (Tokens.Count == 1)
            {
                var word = text.AsSpan(start, _pos - start);
                allowContinuation = word is "trigger" or "complete";
            }
        }
    }

    /// <summary>A `\` followed only by blanks up to the end of the line; <paramref name="next"/> is the start of the next line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool IsContinuation(int backslash, out int next)
    {
        var i = backslash + 1;
        while (i < _text.Length && _text[i] is ' ' or '\t' or '\r')
        {
            i++;
        }

        if (i >= _text.Length)
        {
            next = i;
            return true;
        }

        if (_text[i] != '\n')
        {
            next = 0;
            return false;
        }

        next = i + 1;
        return true;
    }

    private void NewLine()
    {
        _line++;
        _lineStart = _pos;
    }
}
