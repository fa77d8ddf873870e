using Takler.Core.Attributes;

namespace Takler.Core.Expressions;

/// <summary>
/// Parses trigger and complete expressions, in Takler's and ecFlow's dialects alike. Precedence, loosest first:
/// `or`; `and`; `not`; comparisons (left to right, as ecFlow); `+ -`; `* / %`; unary `-`; then primaries: `( ... )`,
/// integers, status names, `set`/`clear`/`unset`, `path`, `path:name` and `:name`. So `!a == complete` is
/// `!(a == complete)` and `a or b and c` is `a or (b and c)`, as in ecFlow.
/// </summary>
public static class ExpressionParser
{
    /// <summary>Parses one expression; a syntax error is an <see cref="ExpressionSyntaxException"/> with line and column.</summary>
    public static ParsedExpression Parse(string text) => Parse(text, 1);

    /// <summary>
    /// Parses every part of a trigger or complete (part n is line n in errors), once: the result is cached on the
    /// attribute until a part is added.
    /// </summary>
    public static IReadOnlyList<ParsedExpression> Parse(ExpressionAttribute attribute) => Parse(attribute, cache: true);

    /// <summary>
    /// Parses the parts, or returns the cached parse. With <paramref name="cache"/> false a new parse is not kept
    /// (binding keeps only the compiled form: syntax trees that die young cost the collector nothing); a syntax
    /// error is always kept.
    /// </summary>
    internal static IReadOnlyList<ParsedExpression> Parse(ExpressionAttribute attribute, bool cache)
    {
        if (attribute.CachedSyntaxError is { } error)
        {
            throw new ExpressionSyntaxException(error.Line, error.Column, error.Detail);
        }

        if (attribute.CachedParts is { } cached)
        {
            return cached;
        }

        var parts = new ParsedExpression[attribute.Parts.Count];
        var line = 1;
        try
        {
            for (var i = 0; i < parts.Length; i++)
            {
                var text = attribute.Parts[i].Text;
                parts[i] = Parse(text, line);
                line += 1 + text.AsSpan().Count('\n');
            }
        }
        catch (ExpressionSyntaxException e)
        {
            attribute.CachedSyntaxError = e;
            throw;
        }

        if (cache)
        {
            attribute.CachedParts = parts;
        }

        return parts;
    }

    internal static ParsedExpression Parse(string text, int firstLine)
    {
        var reader = new Reader(text, firstLine);
        return new ParsedExpression(text, reader.ParseAll());
    }

    private sealed class Reader
    {
        private readonly string _text;
        private readonly ExpressionLexer _lexer;
        private ExpressionToken _current;
        private ExpressionToken? _previous;

        public Reader(string text, int firstLine)
        {
            _text = text;
            _lexer = new ExpressionLexer(text, firstLine);
            _current = _lexer.Next();
        }

        private int PreviousEnd => _previous?.End ?? 0;

        public ExpressionNode ParseAll()
        {
            if (_current.Kind == ExpressionTokenKind.End)
            {
                throw ErrorAtCurrent("expected an expression but found end of input");
            }

            var root = ParseOr();
            if (_current.Kind == ExpressionTokenKind.RightParen)
            {
                throw ErrorAtCurrent("unexpected ')' without a matching '('");
            }

            if (_current.Kind != ExpressionTokenKind.End)
            {
                throw ErrorAtCurrent($"expected an operator, 'and', 'or' or end of input after {Describe(_previous!.Value)} but found {Describe(_current)}");
            }

            return Condition(root);
        }

        private ExpressionNode ParseOr()
        {
            var start = _current.Start;
            var left = ParseAnd();
            while (_current.Kind == ExpressionTokenKind.Or)
            {
                Advance();
                var right = ParseAnd();
                left = new BinaryExpression(BinaryOperator.Or, Condition(left), Condition(right), start, PreviousEnd - start);
            }

            return left;
        }

        private ExpressionNode ParseAnd()
        {
            var start = _current.Start;
            var left = ParseNot();
            while (_current.Kind == ExpressionTokenKind.And)
            {
                Advance();
                var right = ParseNot();
                left = new BinaryExpression(BinaryOperator.And, Condition(left), Condition(right), start, PreviousEnd - start);
            }

            return left;
        }

        private ExpressionNode ParseNot()
        {
            if (_current.Kind != ExpressionTokenKind.Not)
            {
                return ParseComparison();
            }

            var start = _current.Start;
            Advance();
            var operand = ParseNot();
            return new NotExpression(Condition(operand), start, PreviousEnd - start);
        }

        private ExpressionNode ParseComparison()
        {
            var start = _current.Start;
            var left = ParseAdditive();
            while (ComparisonOf(_current.Kind) is { } op)
            {
                Advance();
                var right = ParseAdditive();
                left = new ComparisonExpression(op, left, right, start, PreviousEnd - start);
            }

            return left;
        }

        private ExpressionNode ParseAdditive()
        {
            var start = _current.Start;
            var left = ParseMultiplicative();
            while (_current.Kind is ExpressionTokenKind.Plus or ExpressionTokenKind.Minus)
            {
                var op = _current.Kind == ExpressionTokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract;
                Advance();
                var right = ParseMultiplicative();
                left = new BinaryExpression(op, left, right, start, PreviousEnd - start);
            }

            return left;
        }

        private ExpressionNode ParseMultiplicative()
        {
            var start = _current.Start;
            var left = ParseUnary();
            while (_current.Kind is ExpressionTokenKind.Star or ExpressionTokenKind.Slash or ExpressionTokenKind.Percent)
            {
                var op = _current.Kind switch
                {
                    ExpressionTokenKind.Star => BinaryOperator.Multiply,
                    ExpressionTokenKind.Slash => BinaryOperator.Divide,
                    _ => BinaryOperator.Modulo,
                };
                Advance();
                var right = ParseUnary();
                left = new BinaryExpression(op, left, right, start, PreviousEnd - start);
            }

            return left;
        }

        private ExpressionNode ParseUnary()
        {
            if (_current.Kind is ExpressionTokenKind.Minus or ExpressionTokenKind.Plus)
            {
                var minus = _current.Kind == ExpressionTokenKind.Minus;
                var start = _current.Start;
                Advance();
                var operand = ParseUnary();
                return minus ? new NegateExpression(operand, start, PreviousEnd - start) : operand;
            }

            return ParsePrimary();
        }

        private ExpressionNode ParsePrimary()
        {
            var token = _current;
            switch (token.Kind)
            {
                case ExpressionTokenKind.LeftParen:
                {
                    Advance();
                    var inner = ParseOr();
                    if (_current.Kind != ExpressionTokenKind.RightParen)
                    {
                        throw ErrorAtCurrent($"expected ')' to close '(' at line {token.Line}, column {token.Column} but found {Describe(_current)}");
                    }

                    Advance();
                    return inner;
                }

                case ExpressionTokenKind.Integer:
                    Advance();
                    return new IntegerLiteral(token.Number, token.Start, token.Length);
                case ExpressionTokenKind.Status:
                    Advance();
                    return new StatusLiteral(token.Status, token.Start, token.Length);
                case ExpressionTokenKind.EventValue:
                    Advance();
                    return new EventLiteral(token.Number != 0, token.Start, token.Length);
                case ExpressionTokenKind.Path:
                {
                    var path = token.TextIn(_text);
                    Advance();
                    if (_current.Kind != ExpressionTokenKind.Colon)
                    {
                        return new NodeReference(path, token.Start, token.Length);
                    }

                    var name = ReadName();
                    return new AttributeReference(path, name, token.Start, PreviousEnd - token.Start);
                }

                case ExpressionTokenKind.Colon:
                {
                    var name = ReadName();
                    return new VariableReference(name, token.Start, PreviousEnd - token.Start);
                }

                default:
                {
                    var after = _previous is { } previous ? $" after {Describe(previous)}" : string.Empty;
                    throw ErrorAtCurrent($"expected a status, number or path{after} but found {Describe(token)}");
                }
            }
        }

        /// <summary>Reads the name after the current `:` token.</summary>
        private string ReadName()
        {
            _previous = _current;
            _current = _lexer.NextName();
            if (_current.Kind != ExpressionTokenKind.Name)
            {
                throw ErrorAtCurrent($"expected a name after ':' but found {Describe(_current)}");
            }

            var name = _current.TextIn(_text);
            Advance();
            return name;
        }

        /// <summary>A status or event value on its own is no condition: `complete` alone almost surely lost its path.</summary>
        private ExpressionNode Condition(ExpressionNode node)
        {
            if (node is StatusLiteral or EventLiteral)
            {
                var token = _text.Substring(node.Start, node.Length);
                throw _lexer.ErrorAt(node.Start, $"expected a condition but found '{token}' on its own: compare it, as in 'path == {token}'");
            }

            return node;
        }

        private void Advance()
        {
            _previous = _current;
            _current = _lexer.Next();
        }

        private ExpressionSyntaxException ErrorAtCurrent(string detail) =>
            new(_current.Line, _current.Column, detail);

        private string Describe(ExpressionToken token) => token.Kind switch
        {
            ExpressionTokenKind.End => "end of input",
            ExpressionTokenKind.Path => $"path '{token.TextIn(_text)}'",
            ExpressionTokenKind.Name => $"name '{token.TextIn(_text)}'",
            ExpressionTokenKind.Integer => $"number {token.TextIn(_text)}",
            _ => $"'{token.TextIn(_text)}'",
        };

        private static ComparisonOperator? ComparisonOf(ExpressionTokenKind kind) => kind switch
        {
            ExpressionTokenKind.Equal => ComparisonOperator.Equal,
            ExpressionTokenKind.NotEqual => ComparisonOperator.NotEqual,
            ExpressionTokenKind.Less => ComparisonOperator.Less,
            ExpressionTokenKind.LessOrEqual => ComparisonOperator.LessOrEqual,
            ExpressionTokenKind.Greater => ComparisonOperator.Greater,
            ExpressionTokenKind.GreaterOrEqual => ComparisonOperator.GreaterOrEqual,
            _ => null,
        };
    }
}
