using Takler.Core.Attributes;
using Takler.Core.Expressions;
using Takler.Core.Nodes;

namespace Takler.Core.Tests.Expressions;

public class ExpressionParserTests
{
    private static string Canonical(string text) => ExpressionParser.Parse(text).Root.ToString()!;

    [Theory]
    // Takler's dialect (fixtures of the Python project).
    [InlineData("./task1 == complete and ./task1:event_a == set", "((./task1 == complete) and (./task1:event_a == set))")]
    [InlineData("../task1:meter_a >= 50", "(../task1:meter_a >= 50)")]
    [InlineData("./task3 == active or ./task3 == complete", "((./task3 == active) or (./task3 == complete))")]
    [InlineData("((./task1 == complete) or (./task2 == aborted)) and ./task1:meter_a > 10", "(((./task1 == complete) or (./task2 == aborted)) and (./task1:meter_a > 10))")]
    [InlineData("./task9 == complete AND ./container1/task4 eq aborted", "((./task9 == complete) and (./container1/task4 == aborted))")]
    [InlineData("./task1:event_a == unset", "(./task1:event_a == clear)")]
    // ecFlow's dialect.
    [InlineData("/suite/f1/t1 == complete and (t2 eq complete or t3:ev)", "((/suite/f1/t1 == complete) and ((t2 == complete) or t3:ev))")]
    [InlineData("../fam:YMD ge 20240101", "(../fam:YMD >= 20240101)")]
    [InlineData("t1:m1 + 2 > 10", "((t1:m1 + 2) > 10)")]
    [InlineData("!(a == complete) && b != aborted", "(not (a == complete) and (b != aborted))")]
    [InlineData("a == complete or a:step % 6 == 0", "((a == complete) or ((a:step % 6) == 0))")]
    [InlineData("a == complete OR NOT b == complete", "((a == complete) or not (b == complete))")]
    [InlineData("a lt active", "(a < active)")]
    [InlineData(":YMD le 20240131", "(:YMD <= 20240131)")]
    [InlineData("../../a/b == queued", "(../../a/b == queued)")]
    [InlineData("0 == 0", "(0 == 0)")]
    [InlineData("./0 == complete", "(./0 == complete)")]
    [InlineData("1t == submitted", "(1t == submitted)")]
    [InlineData("t1", "t1")]
    [InlineData("~t1", "not t1")]
    [InlineData("-t:m < -5", "(-t:m < -5)")]
    public void Both_dialects_parse(string text, string canonical)
    {
        Assert.Equal(canonical, Canonical(text));
    }

    [Fact]
    public void Not_binds_looser_than_a_comparison_as_in_ecflow()
    {
        Assert.Equal("not (a == complete)", Canonical("!a == complete"));
        Assert.Equal("(not (a == complete) and (b == complete))", Canonical("not a == complete and b == complete"));
    }

    [Fact]
    public void And_binds_tighter_than_or()
    {
        Assert.Equal("(a or (b and c))", Canonical("a or b and c"));
        Assert.Equal("((a and b) or c)", Canonical("a and b or c"));
    }

    [Fact]
    public void Multiplication_binds_tighter_than_addition_and_arithmetic_tighter_than_comparison()
    {
        Assert.Equal("((1 + (2 * 3)) == 7)", Canonical("1 + 2 * 3 == 7"));
        Assert.Equal("(((1 - 2) - 3) < t:m)", Canonical("1 - 2 - 3 < t:m"));
    }

    [Fact]
    public void Sub_expressions_remember_where_they_are()
    {
        var parsed = ExpressionParser.Parse("(a == complete) and b:ev");
        var and = Assert.IsType<BinaryExpression>(parsed.Root);
        Assert.Equal("(a == complete) and b:ev", and.TextIn(parsed.Text));
        Assert.Equal("a == complete", and.Left.TextIn(parsed.Text));
        Assert.Equal("b:ev", and.Right.TextIn(parsed.Text));
    }

    [Fact]
    public void Paths_and_names_are_kept_as_written()
    {
        var root = ExpressionParser.Parse("../fam/t1.x:YMD_YYYY").Root;
        Assert.Equal(new AttributeReference("../fam/t1.x", "YMD_YYYY", 0, 20), root);
    }

    [Theory]
    [InlineData("", 1, 1, "expected an expression but found end of input")]
    [InlineData("   ", 1, 4, "expected an expression but found end of input")]
    [InlineData("./task1 == ", 1, 12, "expected a status, number or path after '==' but found end of input")]
    [InlineData("/f/t1/t2 ==", 1, 12, "expected a status, number or path after '==' but found end of input")]
    [InlineData("a == complete and", 1, 18, "expected a status, number or path after 'and' but found end of input")]
    [InlineData("a == complete or or b", 1, 18, "expected a status, number or path after 'or' but found 'or'")]
    [InlineData("(a == complete", 1, 15, "expected ')' to close '(' at line 1, column 1 but found end of input")]
    [InlineData("((a == complete) or b", 1, 22, "expected ')' to close '(' at line 1, column 1 but found end of input")]
    [InlineData("a == complete)", 1, 14, "unexpected ')' without a matching '('")]
    [InlineData("a == complete b", 1, 15, "expected an operator, 'and', 'or' or end of input after 'complete' but found path 'b'")]
    [InlineData("a == $", 1, 6, "unexpected character '$'")]
    [InlineData("t: == set", 1, 4, "expected a name after ':' but found '=='")]
    [InlineData("complete", 1, 1, "expected a condition but found 'complete' on its own: compare it, as in 'path == complete'")]
    [InlineData("a == complete and set", 1, 19, "expected a condition but found 'set' on its own: compare it, as in 'path == set'")]
    [InlineData("()", 1, 2, "expected a status, number or path after '(' but found ')'")]
    public void Bad_expressions_are_rejected_with_line_and_column(string text, int line, int column, string detail)
    {
        var e = Assert.Throws<ExpressionSyntaxException>(() => ExpressionParser.Parse(text));
        Assert.Equal(TaklerErrorCode.ExpressionSyntax, e.Code);
        Assert.Equal(detail, e.Detail);
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.Equal($"expression line {line}, column {column}: {detail}", e.Message);
    }

    [Fact]
    public void A_continuation_part_is_reported_as_its_own_line()
    {
        var attribute = new ExpressionAttribute("a == complete");
        attribute.Add(ExpressionJoin.Or, "b == ");
        var e = Assert.Throws<ExpressionSyntaxException>(() => ExpressionParser.Parse(attribute));
        Assert.Equal((2, 5), (e.Line, e.Column)); // the part is trimmed to "b =="
    }

    [Fact]
    public void An_attribute_is_parsed_once_until_a_part_is_added()
    {
        var attribute = new ExpressionAttribute("a == complete");
        var first = ExpressionParser.Parse(attribute);
        Assert.Same(first, ExpressionParser.Parse(attribute));

        attribute.Add(ExpressionJoin.And, "b == complete");
        var second = ExpressionParser.Parse(attribute);
        Assert.NotSame(first, second);
        Assert.Equal(2, second.Count);
    }

    [Fact]
    public void Status_literals_have_ecflow_ordinals()
    {
        var parsed = ExpressionParser.Parse("a == submitted");
        var comparison = Assert.IsType<ComparisonExpression>(parsed.Root);
        Assert.Equal(NodeStatus.Submitted, Assert.IsType<StatusLiteral>(comparison.Right).Status);
        Assert.Equal(4, (int)NodeStatus.Submitted);
    }
}
