using Takler.Core.Expressions;
using Takler.Core.Nodes;
using K = Takler.Core.Expressions.ExpressionTokenKind;

namespace Takler.Core.Tests.Expressions;

public class ExpressionLexerTests
{
    private static K[] Kinds(string text) => ExpressionLexer.Tokenize(text).Select(t => t.Kind).ToArray();

    [Fact]
    public void Symbols_and_words_give_the_same_operators()
    {
        Assert.Equal(
            [K.Equal, K.Equal, K.NotEqual, K.NotEqual, K.Less, K.Less, K.LessOrEqual, K.LessOrEqual, K.Greater, K.Greater, K.GreaterOrEqual, K.GreaterOrEqual, K.End],
            Kinds("== eq != ne < lt <= le > gt >= ge"));
        Assert.Equal([K.And, K.And, K.And, K.Or, K.Or, K.Or, K.Not, K.Not, K.Not, K.Not, K.End], Kinds("and && AND or || OR not ! NOT ~"));
    }

    [Fact]
    public void Keywords_are_case_insensitive()
    {
        var tokens = ExpressionLexer.Tokenize("Complete ACTIVE Set CLEAR unset And");
        Assert.Equal([K.Status, K.Status, K.EventValue, K.EventValue, K.EventValue, K.And, K.End], tokens.Select(t => t.Kind));
        Assert.Equal(NodeStatus.Complete, tokens[0].Status);
        Assert.Equal(NodeStatus.Active, tokens[1].Status);
        Assert.Equal(1, tokens[2].Number);
        Assert.Equal(0, tokens[3].Number);
    }

    [Theory]
    [InlineData("0", K.Integer)]
    [InlineData("20240101", K.Integer)]
    [InlineData("0a", K.Path)]
    [InlineData("10/t", K.Path)]
    [InlineData("./10", K.Path)]
    [InlineData("t1.5", K.Path)]
    [InlineData("/suite/f1/t1", K.Path)]
    [InlineData("../../a/b", K.Path)]
    [InlineData("_x", K.Path)]
    [InlineData("complete2", K.Path)]
    [InlineData("./complete", K.Path)]
    public void A_word_of_digits_is_a_number_and_any_other_word_a_path(string word, K kind)
    {
        Assert.Equal([kind, K.End], Kinds(word));
    }

    [Fact]
    public void A_slash_after_a_value_divides()
    {
        Assert.Equal([K.Path, K.Colon, K.Name, K.Slash, K.Integer, K.End], Kinds("t:m /2"));
        Assert.Equal([K.Integer, K.Slash, K.Integer, K.End], Kinds("10 / 2"));
        Assert.Equal([K.Path, K.End], Kinds("a/b"));
        Assert.Equal([K.Path, K.Slash, K.Path, K.End], Kinds("a / b"));
    }

    [Fact]
    public void The_word_after_a_colon_is_a_name_even_when_it_looks_like_a_number_or_keyword()
    {
        Assert.Equal([K.Path, K.Colon, K.Name, K.End], Kinds("t:1"));
        Assert.Equal([K.Path, K.Colon, K.Name, K.End], Kinds("t:set"));
        Assert.Equal([K.Colon, K.Name, K.End], Kinds(":YMD_YYYY"));
    }

    [Fact]
    public void Tokens_carry_line_and_column()
    {
        var tokens = ExpressionLexer.Tokenize("a == complete\n  and b");
        Assert.Equal((1, 1), (tokens[0].Line, tokens[0].Column));
        Assert.Equal((1, 3), (tokens[1].Line, tokens[1].Column));
        Assert.Equal((2, 3), (tokens[3].Line, tokens[3].Column));
        Assert.Equal((2, 7), (tokens[4].Line, tokens[4].Column));
    }

    [Theory]
    [InlineData("a == $x", 1, 6, "unexpected character '$'")]
    [InlineData("a = complete", 1, 3, "unexpected '=': write '==' (or 'eq') to compare")]
    [InlineData("a & b", 1, 3, "unexpected '&': write '&&' (or 'and')")]
    [InlineData("a//b", 1, 3, "path 'a//b' has an empty part ('//')")]
    [InlineData("/f/ == complete", 1, 4, "path '/f/' ends with '/': expected a node name")]
    [InlineData("99999999999999999999", 1, 1, "number 99999999999999999999 is too large")]
    [InlineData("x\n  == #", 2, 6, "unexpected character '#'")]
    public void Bad_characters_are_reported_where_they_are(string text, int line, int column, string detail)
    {
        var e = Assert.Throws<ExpressionSyntaxException>(() => ExpressionLexer.Tokenize(text));
        Assert.Equal(TaklerErrorCode.ExpressionSyntax, e.Code);
        Assert.Equal((line, column, detail), (e.Line, e.Column, e.Detail));
        Assert.Equal($"expression line {line}, column {column}: {detail}", e.Message);
    }
}
