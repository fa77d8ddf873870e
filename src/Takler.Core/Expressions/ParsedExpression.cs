namespace Takler.Core.Expressions;

/// <summary>One expression text and its syntax tree. Immutable, so one parse may be shared.</summary>
public sealed class ParsedExpression
{
    public ParsedExpression(string text, ExpressionNode root)
    {
        Text = text;
        Root = root;
    }

    /// <summary>The text parsed.</summary>
    public string Text { get; }

    /// <summary>The root of the syntax tree.</summary>
    public ExpressionNode Root { get; }

    public override string ToString() => Root.ToString();
}
