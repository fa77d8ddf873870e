using Takler.Core.Definitions;

namespace Takler.Core.Tests.Definitions;

public sealed class ExpressionReferencesTests
{
    [Theory]
    [InlineData("a == complete", "Node a")]
    [InlineData("../f/a != aborted and ./b eq active", "Node ../f/a|Node ./b")]
    [InlineData("/s/f/t:ev == set or t:1", "Attribute /s/f/t:ev|Attribute t:1")]
    [InlineData(":YMD < 20121212 and :int_var < 40", "ParentVariable :YMD|ParentVariable :int_var")]
    [InlineData("/s/a<flag>late and /<flag>zombie", "Flag /s/a<flag>late|Flag /<flag>zombie")]
    [InlineData("a:DATE - 1 == 19991229", "Attribute a:DATE")]
    [InlineData("x:J > cal::date_to_julian(/s/a:D)", "Attribute x:J|Attribute /s/a:D")]
    [InlineData("(a == complete AND b == complete) || !c:e", "Node a|Node b|Attribute c:e")]
    [InlineData("1==1", "")]
    [InlineData("start/0 == complete", "Node start/0")]
    [InlineData("f1.1/t1 eq complete", "Node f1.1/t1")]
    public void References_are_found(string expression, string expected)
    {
        var references = new List<ExpressionReference>();

        Assert.Null(ExpressionReferences.Analyze(expression, references));

        Assert.Equal(expected, string.Join('|', references.Select(r => Describe(expression, r))));
    }

    [Theory]
    [InlineData("a == b", 5, "cannot compare a node with a node")]
    [InlineData("eda_pert", 0, "a node path must be compared with a status")]
    [InlineData("a:ev == complete", 8, "cannot compare a value with a status")]
    [InlineData("not a", 4, "a node path must be compared with a status")]
    [InlineData("1 == 0 and", 10, "expression ends where an operand was expected")]
    [InlineData("(a == complete) == 1", 0, "cannot compare a condition with a value")]
    [InlineData("a == complete == 1", 14, "unexpected '=='")]
    [InlineData("-1 < a:m", 0, "expected an operand but found '-'")]
    [InlineData("(/s/a:e / 0) == 0", 10, "divide by zero")]
    [InlineData("/s/a:m % 0 >= 0", 9, "modulo by zero")]
    [InlineData("a<flag>bogus", 7, "unknown flag 'bogus'")]
    [InlineData("/s/ == complete", 3, "incomplete node path '/s/'")]
    [InlineData("..//x == complete", 3, "incomplete node path '..//x'")]
    [InlineData("a\\b == complete", 1, "unexpected character '\\'")]
    [InlineData("(a == complete", 14, "expected ')'")]
    [InlineData("cal::bogus(1) > 0", 0, "unknown function")]
    public void Malformed_expressions_are_rejected_with_an_offset(string expression, int offset, string message)
    {
        var error = ExpressionReferences.Analyze(expression, []);

        Assert.NotNull(error);
        Assert.Contains(message, error.Value.Message, StringComparison.Ordinal);
        Assert.Equal(offset, error.Value.Offset);
    }

    private static string Describe(string text, ExpressionReference r) => r.Kind switch
    {
        ExpressionReferenceKind.Node => $"Node {text.AsSpan(r.PathStart, r.PathLength)}",
        ExpressionReferenceKind.ParentVariable => $"ParentVariable :{text.AsSpan(r.NameStart, r.NameLength)}",
        ExpressionReferenceKind.Flag => $"Flag {text.AsSpan(r.PathStart, r.PathLength)}<flag>{text.AsSpan(r.NameStart, r.NameLength)}",
        _ => $"{r.Kind} {text.AsSpan(r.PathStart, r.PathLength)}:{text.AsSpan(r.NameStart, r.NameLength)}",
    };
}
