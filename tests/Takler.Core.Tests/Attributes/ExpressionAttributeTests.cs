using Takler.Core.Attributes;
using Takler.Core.Expressions;

namespace Takler.Core.Tests.Attributes;

public class ExpressionAttributeTests
{
    [Fact]
    public void A_single_part_is_the_same_object_however_it_is_read()
    {
        var expression = new ExpressionAttribute("  a == complete ");

        Assert.Equal("a == complete", expression.Text);
        var part = Assert.Single(expression.Parts);
        Assert.Same(part, expression.Parts[0]);
        Assert.Same(part, expression.Parts.First());
        Assert.Equal(new ExpressionPart(ExpressionJoin.None, "a == complete"), part);
        Assert.Throws<ArgumentOutOfRangeException>(() => expression.Parts[1]);
    }

    [Fact]
    public void Added_parts_follow_the_first_with_their_join()
    {
        var expression = new ExpressionAttribute("a == complete");
        expression.Add(ExpressionJoin.Or, "b == complete");
        expression.Add(ExpressionJoin.None, "c == complete");

        Assert.Equal(3, expression.Parts.Count);
        Assert.Equal([ExpressionJoin.None, ExpressionJoin.Or, ExpressionJoin.And], expression.Parts.Select(p => p.Join));
        Assert.Equal(new ExpressionPart(ExpressionJoin.Or, "b == complete"), expression.Parts[1]);
        Assert.Equal("(a == complete) or (b == complete) and (c == complete)", expression.Text);
    }

    [Fact]
    public void An_empty_part_is_rejected()
    {
        Assert.Throws<TaklerException>(() => new ExpressionAttribute(" "));
        var expression = new ExpressionAttribute("a == complete");
        Assert.Throws<TaklerException>(() => expression.Add(ExpressionJoin.And, ""));
        Assert.Single(expression.Parts);
    }

    [Fact]
    public void Clearing_one_parse_cache_leaves_the_other()
    {
        var expression = new ExpressionAttribute("a ==");
        var error = Assert.Throws<ExpressionSyntaxException>(() => ExpressionParser.Parse(expression));

        expression.CachedParts = null;

        Assert.Same(error, expression.CachedSyntaxError);
        Assert.Null(expression.CachedParts);
        expression.Add(ExpressionJoin.And, "b == complete");
        Assert.Null(expression.CachedSyntaxError);
    }
}
