using System.Runtime.CompilerServices;

namespace Takler.Core.Definitions;

/// <summary>What a reference in a trigger or complete expression points at.</summary>
internal enum ExpressionReferenceKind
{
    /// <summary>`path` compared with a status: `a == complete`.</summary>
    Node,

    /// <summary>`path:name`: an event, meter, variable, repeat, limit or queue of a node.</summary>
    Attribute,

    /// <summary>`:name`: a variable found on the node or its ancestors.</summary>
    ParentVariable,

    /// <summary>`path&lt;flag&gt;name`: a flag of a node; the path may be `/` (the server).</summary>
    Flag,
}

/// <summary>A reference found in an expression: offsets into the expression text, so no strings are made.</summary>
internal readonly record struct ExpressionReference(ExpressionReferenceKind Kind, int PathStart, int PathLength, int NameStart, int NameLength);

/// <summary>
/// A small, self-contained syntax check and reference extractor for ecFlow trigger and complete expressions, enough
/// to check a definition's references when it is loaded. It knows ecFlow's grammar (`and`/`or`/`not` and their symbols,
/// the comparison words, statuses, `set`/`clear`, arithmetic, `path:name`, `:name`, `path&lt;flag&gt;name`,
/// `cal::date_to_julian(...)`) and its typing rules: a bare node path is only compared with a status, a status only
/// with a node, and a literal zero divisor is an error. It is meant to be replaced by the binder of
/// `Takler.Core.Expressions`.
/// </summary>
internal static class ExpressionReferences
{
    /// <summary>ecFlow's node flags usable as `path&lt;flag&gt;name`.</summary>
    private static readonly HashSet<string> FlagNames = new(StringComparer.Ordinal)
    {
        "force_abort", "user_edit", "task_aborted", "edit_failed", "ecfcmd_failed", "statuscmd_failed", "killcmd_failed",
        "no_script", "killed", "status", "late", "message", "complete", "queuelimit", "wait", "locked", "zombie",
        "no_reque", "archived", "restored", "threshold", "sigterm", "not_set", "log_error", "checkpt_error",
        "remote_error",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> FlagLookup = FlagNames.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Checks <paramref name="text"/> and adds its references to <paramref name="references"/>. Returns null when the
    /// expression is well formed, else the error, with the offset in <paramref name="text"/> where it was found.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int Offset, string Message)? Analyze(string text, List<ExpressionReference> references)
    {
        try
        {
            var parser = new Parser(text, references);
            parser.ParseTop();
            return null;
        }
        catch (SyntaxError error)
        {
            return (error.Offset, error.Message);
        }
    }

    private enum Kind
    {
        End,
        Integer,
        Path,
        Attribute,
        ParentVariable,
        Flag,
        Status,
        EventState,
        And,
        Or,
        Not,
        Compare,
        Plus,
        Minus,
        Multiply,
        Divide,
        Modulo,
        LeftParen,
        RightParen,
        Function,
    }

    /// <summary>What an operand is, for ecFlow's typing rules.</summary>
    private enum Operand
    {
        Node,
        Status,
        EventState,
        Value,
        Boolean,
    }

    private readonly record struct Token(Kind Kind, int Start, int Length, int NameStart = 0, int NameLength = 0);

    private sealed class SyntaxError(int offset, string message) : Exception(message)
    {
        public int Offset { get; } = offset;
    }

    private ref struct Parser
    {
        private readonly string _text;
        private readonly List<ExpressionReference> _references;
        private int _pos;
        private Token _current;

        public Parser(string text, List<ExpressionReference> references)
        {
            _text = text;
            _references = references;
            _current = default;
            _pos = 0;
            Advance();
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void ParseTop()
        {
            var start = _current.Start;
            var result = ParseOr(out _);
            if (_current.Kind != Kind.End)
            {
                throw new SyntaxError(_current.Start, $"unexpected '{Describe(_current)}' in expression");
            }

            RequireCondition(result, start);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Operand ParseOr(out bool zero)
        {
            var start = _current.Start;
            var left = ParseAnd(out zero);
            while (_current.Kind == Kind.Or)
            {
                RequireCondition(left, start);
                Advance();
                var rightStart = _current.Start;
                RequireCondition(ParseAnd(out _), rightStart);
                left = Operand.Boolean;
                zero = false;
            }

            return left;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Operand ParseAnd(out bool zero)
        {
            var start = _current.Start;
            var left = ParseNot(out zero);
            while (_current.Kind == Kind.And)
            {
                RequireCondition(left, start);
                Advance();
                var rightStart = _current.Start;
                RequireCondition(ParseNot(out _), rightStart);
                left = Operand.Boolean;
                zero = false;
            }

            return left;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Operand ParseNot(out bool zero)
        {
            if (_current.Kind == Kind.Not)
            {
                Advance();
                var start = _current.Start;
                RequireCondition(ParseNot(out _), start);
                zero = false;
                return Operand.Boolean;
            }

            return ParseComparison(out zero);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Operand ParseComparison(out bool zero)
        {
            var leftStart = _current.Start;
            var left = ParseSum(out zero);
            if (_current.Kind != Kind.Compare)
            {
                return left;
            }

            var op = _current;
            Advance();
            var rightStart = _current.Start;
            var right = ParseSum(out _);
            var ok = (left, right) switch
            {
                (Operand.Node, Operand.Status) or (Operand.Status, Operand.Node) => true,
                (Operand.Value or Operand.EventState, Operand.Value or Operand.EventState) => !(left == Operand.EventState && right == Operand.EventState),
                _ => false,
            };
            if (!ok)
            {
                var hint = left == Operand.Node || right == Operand.Node ? " (a node is compared with a status, e.g. 'a == complete')" : string.Empty;
                throw new SyntaxError(
                    left == Operand.Boolean ? leftStart : rightStart,
                    $"cannot compare {Name(left)} with {Name(right)} using '{_text.AsSpan(op.Start, op.Length)}'{hint}");
            }

            zero = false;
            return Operand.Boolean;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Operand ParseSum(out bool zero)
        {
            var start = _current.Start;
            var left = ParseProduct(out zero);
            while (_current.Kind is Kind.Plus or Kind.Minus)
            {
                RequireValue(left, start);
                Advance();
                var rightStart = _current.Start;
                RequireValue(ParseProduct(out _), rightStart);
                left = Operand.Value;
                zero = false;
            }

            return left;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Operand ParseProduct(out bool zero)
        {
            var start = _current.Start;
            var left = ParsePrimary(out zero);
            while (_current.Kind is Kind.Multiply or Kind.Divide or Kind.Modulo)
            {
                var op = _current;
                RequireValue(left, start);
                Advance();
                var rightStart = _current.Start;
                RequireValue(ParsePrimary(out var rightZero), rightStart);
                if (rightZero && op.Kind != Kind.Multiply)
                {
                    throw new SyntaxError(rightStart, op.Kind == Kind.Divide ? "divide by zero" : "modulo by zero");
                }

                left = Operand.Value;
                zero = false;
            }

            return left;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Operand ParsePrimary(out bool zero)
        {
            zero = false;
            var token = _current;
            switch (token.Kind)
            {
                case Kind.LeftParen:
                    {
                        Advance();
                        var inner = ParseOr(out zero);
                        Expect(Kind.RightParen, "')'");
                        return inner;
                    }

                case Kind.Integer:
                    Advance();
                    zero = _text.AsSpan(token.Start, token.Length).TrimStart('0').Length == 0;
                    return Operand.Value;
                case Kind.Status:
                    Advance();
                    return Operand.Status;
                case Kind.EventState:
                    Advance();
                    return Operand.EventState;
                case Kind.Path:
                    Advance();
                    _references.Add(new ExpressionReference(ExpressionReferenceKind.Node, token.Start, token.Length, 0, 0));
                    return Operand.Node;
                case Kind.Attribute:
                    Advance();
                    _references.Add(new ExpressionReference(ExpressionReferenceKind.Attribute, token.Start, token.Length, token.NameStart, token.NameLength));
                    return Operand.Value;
                case Kind.ParentVariable:
                    Advance();
                    _references.Add(new ExpressionReference(ExpressionReferenceKind.ParentVariable, 0, 0, token.NameStart, token.NameLength));
                    return Operand.Value;
                case Kind.Flag:
                    Advance();
                    _references.Add(new ExpressionReference(ExpressionReferenceKind.Flag, token.Start, token.Length, token.NameStart, token.NameLength));
                    return Operand.Boolean;
                case Kind.Function:
                    {
                        Advance();
                        Expect(Kind.LeftParen, "'(' after a function name");
                        var argStart = _current.Start;
                        RequireValue(ParseOr(out _), argStart);
                        Expect(Kind.RightParen, "')'");
                        return Operand.Value;
                    }

                case Kind.End:
                    throw new SyntaxError(token.Start, "expression ends where an operand was expected");
                default:
                    throw new SyntaxError(token.Start, $"expected an operand but found '{Describe(token)}'");
            }
        }

        private void Expect(Kind kind, string what)
        {
            if (_current.Kind != kind)
            {
                throw new SyntaxError(_current.Start, $"expected {what} but found '{Describe(_current)}'");
            }

            Advance();
        }

        private readonly void RequireCondition(Operand operand, int offset)
        {
            if (operand is not (Operand.Boolean or Operand.Value))
            {
                throw new SyntaxError(offset, operand == Operand.Node
                    ? "a node path must be compared with a status (e.g. 'a == complete')"
                    : $"{Name(operand)} is not a condition");
            }
        }

        private static void RequireValue(Operand operand, int offset)
        {
            if (operand != Operand.Value)
            {
                throw new SyntaxError(offset, $"arithmetic needs numbers, not {Name(operand)}");
            }
        }

        private static string Name(Operand operand) => operand switch
        {
            Operand.Node => "a node",
            Operand.Status => "a status",
            Operand.EventState => "an event state",
            Operand.Value => "a value",
            _ => "a condition",
        };

        private readonly string Describe(Token token) =>
            token.Kind == Kind.End ? "end of expression" : _text.Substring(token.Start, Math.Max(1, Math.Min(token.Length, _text.Length - token.Start)));

        private void Advance() => _current = Lex();

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Token Lex()
        {
            var text = _text;
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }

            var start = _pos;
            if (_pos >= text.Length)
            {
                return new Token(Kind.End, text.Length, 0);
            }

            var c = text[_pos];
            var next = _pos + 1 < text.Length ? text[_pos + 1] : '\0';
            switch (c)
            {
                case '(':
                    _pos++;
                    return new Token(Kind.LeftParen, start, 1);
                case ')':
                    _pos++;
                    return new Token(Kind.RightParen, start, 1);
                case '=' when next == '=':
                    _pos += 2;
                    return new Token(Kind.Compare, start, 2);
                case '!' when next == '=':
                    _pos += 2;
                    return new Token(Kind.Compare, start, 2);
                case '!' or '~':
                    _pos++;
                    return new Token(Kind.Not, start, 1);
                case '<' or '>':
                    _pos += next == '=' ? 2 : 1;
                    return new Token(Kind.Compare, start, _pos - start);
                case '&' when next == '&':
                    _pos += 2;
                    return new Token(Kind.And, start, 2);
                case '|' when next == '|':
                    _pos += 2;
                    return new Token(Kind.Or, start, 2);
                case '+':
                    _pos++;
                    return new Token(Kind.Plus, start, 1);
                case '-':
                    _pos++;
                    return new Token(Kind.Minus, start, 1);
                case '*':
                    _pos++;
                    return new Token(Kind.Multiply, start, 1);
                case '%':
                    _pos++;
                    return new Token(Kind.Modulo, start, 1);
                case '/' when !IsPathChar(next) && !IsFlagAt(_pos + 1):
                    _pos++;
                    return new Token(Kind.Divide, start, 1);
                case ':':
                    {
                        _pos++;
                        var nameLength = ScanName();
                        if (nameLength == 0)
                        {
                            throw new SyntaxError(start, "expected a variable name after ':'");
                        }

                        return new Token(Kind.ParentVariable, start, _pos - start, start + 1, nameLength);
                    }
            }

            if (!IsPathChar(c) && c != '/')
            {
                throw new SyntaxError(start, $"unexpected character '{c}' in expression");
            }

            while (_pos < text.Length && (IsPathChar(text[_pos]) || text[_pos] == '/'))
            {
                _pos++;
            }

            var word = text.AsSpan(start, _pos - start);

            // cal::date_to_julian(...) and cal::julian_to_date(...)
            if (_pos + 1 < text.Length && text[_pos] == ':' && text[_pos + 1] == ':')
            {
                _pos += 2;
                var nameStart = _pos;
                var nameLength = ScanName();
                var function = text.AsSpan(nameStart, nameLength);
                if (!word.SequenceEqual("cal") || !(function.SequenceEqual("date_to_julian") || function.SequenceEqual("julian_to_date")))
                {
                    throw new SyntaxError(start, $"unknown function '{text.AsSpan(start, _pos - start)}' (expected cal::date_to_julian or cal::julian_to_date)");
                }

                return new Token(Kind.Function, start, _pos - start);
            }

            var hasSuffix = _pos < text.Length && (text[_pos] == ':' || IsFlagAt(_pos));
            if (!hasSuffix && word.IndexOfAny('/', '.') < 0)
            {
                if (IsDigits(word))
                {
                    return new Token(Kind.Integer, start, word.Length);
                }

                var keyword = KeywordKind(word);
                if (keyword != Kind.End)
                {
                    return new Token(keyword, start, word.Length);
                }
            }

            CheckPath(start, word, allowRoot: _pos < text.Length && IsFlagAt(_pos));
            if (_pos < text.Length && text[_pos] == ':')
            {
                _pos++;
                var nameStart = _pos;
                var nameLength = ScanName();
                if (nameLength == 0)
                {
                    throw new SyntaxError(_pos, $"expected a name after '{word}:'");
                }

                return new Token(Kind.Attribute, start, word.Length, nameStart, nameLength);
            }

            if (_pos < text.Length && IsFlagAt(_pos))
            {
                _pos += 6;
                var nameStart = _pos;
                var nameLength = ScanName();
                var flag = text.AsSpan(nameStart, nameLength);
                if (!FlagLookup.Contains(flag))
                {
                    throw new SyntaxError(nameStart, $"unknown flag '{flag}' after <flag>");
                }

                return new Token(Kind.Flag, start, word.Length, nameStart, nameLength);
            }

            return new Token(Kind.Path, start, word.Length);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int ScanName()
        {
            var start = _pos;
            while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '.'))
            {
                _pos++;
            }

            return _pos - start;
        }

        private readonly bool IsFlagAt(int index) => string.CompareOrdinal(_text, index, "<flag>", 0, 6) == 0;

        private static bool IsPathChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.';

        private static bool IsDigits(ReadOnlySpan<char> word)
        {
            foreach (var ch in word)
            {
                if (!char.IsAsciiDigit(ch))
                {
                    return false;
                }
            }

            return word.Length > 0;
        }

        private static Kind KeywordKind(ReadOnlySpan<char> word) => word switch
        {
            "and" or "AND" => Kind.And,
            "or" or "OR" => Kind.Or,
            "not" or "NOT" => Kind.Not,
            "eq" or "ne" or "lt" or "gt" or "le" or "ge" => Kind.Compare,
            "unknown" or "complete" or "queued" or "aborted" or "submitted" or "active" => Kind.Status,
            "set" or "clear" => Kind.EventState,
            _ => Kind.End,
        };

        /// <summary>A node path: `/a/b`, `a`, `./a`, `../a/b`; no empty part, no trailing `/` (only `/` alone before a flag).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void CheckPath(int start, ReadOnlySpan<char> path, bool allowRoot)
        {
            if (path.Length == 1 && path[0] == '/')
            {
                if (!allowRoot)
                {
                    throw new SyntaxError(start, "'/' alone is not a node path");
                }

                return;
            }

            var rest = path[0] == '/' ? path[1..] : path;
            var offset = path.Length - rest.Length;
            while (true)
            {
                var slash = rest.IndexOf('/');
                var part = slash < 0 ? rest : rest[..slash];
                if (part.Length == 0)
                {
                    throw new SyntaxError(start + offset, $"incomplete node path '{path}'");
                }

                if (!(part.SequenceEqual(".") || part.SequenceEqual("..")) && part[0] == '.')
                {
                    throw new SyntaxError(start + offset, $"invalid node name '{part}' in path '{path}'");
                }

                if (slash < 0)
                {
                    return;
                }

                offset += slash + 1;
                rest = rest[(slash + 1)..];
            }
        }
    }
}
