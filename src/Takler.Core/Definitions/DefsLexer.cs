using System.Runtime.CompilerServices;

namespace Takler.Core.Definitions;

/// <summary>A token of a definition file: where it is in the text (an offset from its start) and in the file.</summary>
internal readonly record struct DefsToken(int Start, int Length, int Line, int Column)
{
    public int End => Start + Length;
}

/// <summary>
/// Splits a definition into statements and their tokens without copying it. A statement ends at a newline or a `;`
/// outside quotes; `#` at the start of a token begins a comment that runs to the end of the line (state files keep
/// values there); a token starting with a quote runs to the matching quote on the same line; a `\` at the end of a
/// line continues a `trigger` or `complete` on the next one.
/// </summary>
/// <remarks>
/// It reads either a whole string or a <see cref="TextReader"/> through a buffer that holds at least the current
/// statement (it grows for a longer one), so a large file is never in memory as a whole. Offsets count from the start
/// of the text; the buffer holds the text from <see cref="_base"/> on, and what a token points to stays readable until
/// the next statement is read.
/// </remarks>
internal sealed class DefsLexer
{
    private const int InitialBufferSize = 1 << 16;

    private readonly string? _string;
    private readonly TextReader? _reader;
    private char[] _buffer = [];

    /// <summary>The offset of the buffer's first character in the text.</summary>
    private int _base;

    /// <summary>The offset just past the last character read.</summary>
    private int _end;

    private bool _eof;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    /// <summary>The first offset still needed (the current statement's start): refills keep the text from here.</summary>
    private int _keep;

    public DefsLexer(string text)
    {
        _string = text;
        _end = text.Length;
        _eof = true;
    }

    public DefsLexer(TextReader reader, int bufferSize = InitialBufferSize)
    {
        _reader = reader;
        _buffer = new char[Math.Max(bufferSize, 1)];
    }

    /// <summary>The tokens of the current statement.</summary>
    public List<DefsToken> Tokens { get; } = new(16);

    /// <summary>Offset of the comment text (after `#`) on the statement's line, or -1 when there is none.</summary>
    public int CommentStart { get; private set; } = -1;

    /// <summary>End (exclusive) of the comment text.</summary>
    public int CommentEnd { get; private set; } = -1;

    /// <summary>True when a `\` continuation joined lines in the current statement.</summary>
    public bool Continued { get; private set; }

    /// <summary>The line the lexer is on (1-based), for errors at the end of the text.</summary>
    public int Line => _line;

    /// <summary>The comment of the current statement, trimmed; empty when there is none.</summary>
    public ReadOnlySpan<char> Comment => CommentStart < 0 ? [] : Text.Slice(CommentStart - _base, CommentEnd - CommentStart).Trim();

    /// <summary>The text held, from offset <see cref="_base"/>.</summary>
    private ReadOnlySpan<char> Text => _string is not null ? _string.AsSpan() : _buffer.AsSpan(0, _end - _base);

    /// <summary>The text of a token.</summary>
    public ReadOnlySpan<char> Span(DefsToken token) => Text.Slice(token.Start - _base, token.Length);

    /// <summary>The text from <paramref name="first"/>'s start to <paramref name="last"/>'s end, as written.</summary>
    public ReadOnlySpan<char> Slice(DefsToken first, DefsToken last) => Text[(first.Start - _base)..(last.End - _base)];

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
            _keep = _pos;
            ReadStatement();
            if (Tokens.Count > 0)
            {
                return true;
            }

            if (_pos >= _end && !More())
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
        while (true)
        {
            _keep = _pos;
            if (_pos >= _end && !More())
            {
                return false;
            }

            var newLine = FindNewLine(_pos);
            var lineEnd = newLine < 0 ? _end : newLine;
            var line = Text[(_pos - _base)..(lineEnd - _base)].Trim();
            var ended = line.StartsWith(endKeyword, StringComparison.Ordinal) &&
                (line.Length == endKeyword.Length || char.IsWhiteSpace(line[endKeyword.Length]) || line[endKeyword.Length] is '#' or ';');
            if (!ended && line.Length > 0)
            {
                lines.Add(line.ToString());
            }

            _pos = newLine < 0 ? _end : newLine + 1;
            if (newLine >= 0)
            {
                NewLine();
            }

            if (ended)
            {
                return true;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadStatement()
    {
        var allowContinuation = false;
        var text = Text;
        while (true)
        {
            if (_pos >= _end)
            {
                if (!More())
                {
                    return;
                }

                text = Text;
            }

            var c = text[_pos - _base];
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
                        var newLine = FindNewLine(_pos);
                        text = Text;
                        var end = newLine < 0 ? _end : newLine;
                        CommentStart = _pos + 1;
                        CommentEnd = end > CommentStart && text[end - 1 - _base] == '\r' ? end - 1 : end;
                        _pos = end;
                        continue;
                    }

            }

            if (c == '\\' && allowContinuation)
            {
                var continues = IsContinuation(_pos, out var next, out var newLineSkipped);
                text = Text;
                if (continues)
                {
                    _pos = next;
                    if (newLineSkipped)
                    {
                        NewLine();
                    }

                    Continued = true;
                    continue;
                }
            }

            var start = _pos;
            if (c is '"' or '\'')
            {
                // A quoted token runs to the matching quote on the same line (an unmatched quote: to the line's end).
                _pos++;
                while (true)
                {
                    if (_pos >= _end)
                    {
                        if (!More())
                        {
                            break;
                        }

                        text = Text;
                    }

                    var q = text[_pos - _base];
                    if (q == '\n')
                    {
                        break;
                    }

                    _pos++;
                    if (q == c)
                    {
                        break;
                    }
                }
            }

            while (true)
            {
                if (_pos >= _end)
                {
                    if (!More())
                    {
                        break;
                    }

                    text = Text;
                }

                var ch = text[_pos - _base];
                if (ch is ' ' or '\t' or '\r' or '\n' or ';' or '\f' or '\v')
                {
                    break;
                }

                if (ch == '\\' && allowContinuation)
                {
                    var continues = IsContinuation(_pos, out _, out _);
                    text = Text;
                    if (continues)
                    {
                        break;
                    }
                }

                _pos++;
            }

            Tokens.Add(new DefsToken(start, _pos - start, _line, start - _lineStart + 1));
            if (Tokens.Count == 1)
            {
                allowContinuation = text.Slice(start - _base, _pos - start) is "trigger" or "complete";
            }
        }
    }

    /// <summary>
    /// A `\` followed only by blanks up to the end of the line (or of the text): <paramref name="next"/> is where the
    /// statement goes on, <paramref name="newLine"/> whether a newline was passed. Reading ahead may refill the buffer.
    /// </summary>
    private bool IsContinuation(int backslash, out int next, out bool newLine)
    {
        var i = backslash + 1;
        while (true)
        {
            if (i >= _end && !More())
            {
                (next, newLine) = (_end, false);
                return true;
            }

            var c = Text[i - _base];
            if (c is ' ' or '\t' or '\r')
            {
                i++;
                continue;
            }

            (next, newLine) = (i + 1, c == '\n');
            return c == '\n';
        }
    }

    /// <summary>The offset of the next newline from <paramref name="from"/>, reading more if needed; -1 at the end of the text.</summary>
    private int FindNewLine(int from)
    {
        while (true)
        {
            var found = Text[(from - _base)..].IndexOf('\n');
            if (found >= 0)
            {
                return from + found;
            }

            from = _end;
            if (!More())
            {
                return -1;
            }
        }
    }

    /// <summary>
    /// Reads more of the text, keeping what the current statement needs (from <see cref="_keep"/>): it is moved to the
    /// front of the buffer, which grows when the statement fills it. False at the end of the text.
    /// </summary>
    private bool More()
    {
        if (_eof || _reader is null)
        {
            return false;
        }

        var drop = _keep - _base;
        if (drop > 0)
        {
            Array.Copy(_buffer, drop, _buffer, 0, _end - _keep);
            _base = _keep;
        }

        if (_end - _base == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = _reader.Read(_buffer, _end - _base, _buffer.Length - (_end - _base));
        if (read == 0)
        {
            _eof = true;
            return false;
        }

        _end += read;
        return true;
    }

    private void NewLine()
    {
        _line++;
        _lineStart = _pos;
    }
}
