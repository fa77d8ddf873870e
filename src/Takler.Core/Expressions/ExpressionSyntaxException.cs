namespace Takler.Core.Expressions;

/// <summary>
/// A trigger or complete expression that does not parse. The code is <see cref="TaklerErrorCode.ExpressionSyntax"/>;
/// the message reads `expression line L, column C: what was expected but found what`.
/// </summary>
public sealed class ExpressionSyntaxException : TaklerException
{
    public ExpressionSyntaxException(int line, int column, string detail)
        : base(TaklerErrorCode.ExpressionSyntax, $"expression line {line}, column {column}: {detail}")
    {
        Line = line;
        Column = column;
        Detail = detail;
    }

    public ExpressionSyntaxException()
        : this(1, 1, "syntax error")
    {
    }

    public ExpressionSyntaxException(string message)
        : this(1, 1, message)
    {
    }

    public ExpressionSyntaxException(string message, Exception inner)
        : base(TaklerErrorCode.ExpressionSyntax, message, inner)
    {
        Line = 1;
        Column = 1;
        Detail = message;
    }

    /// <summary>The line of the error, from 1 (a continuation part of a trigger is its own line).</summary>
    public int Line { get; }

    /// <summary>The column of the error, from 1.</summary>
    public int Column { get; }

    /// <summary>The message without the position.</summary>
    public string Detail { get; }
}
