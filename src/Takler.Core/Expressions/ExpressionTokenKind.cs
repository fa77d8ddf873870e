namespace Takler.Core.Expressions;

/// <summary>The kinds of token in a trigger or complete expression.</summary>
public enum ExpressionTokenKind
{
    /// <summary>The end of the text.</summary>
    End,

    /// <summary>A node path: `/f/a/b`, `./x`, `../x`, `fam/task` or a bare name.</summary>
    Path,

    /// <summary>An attribute or variable name, read after `:`.</summary>
    Name,

    /// <summary>An unsigned integer.</summary>
    Integer,

    /// <summary>A status name: unknown, complete, queued, aborted, submitted, active.</summary>
    Status,

    /// <summary>An event value: set (1), clear or unset (0).</summary>
    EventValue,

    /// <summary>`and`, `&amp;&amp;`.</summary>
    And,

    /// <summary>`or`, `||`.</summary>
    Or,

    /// <summary>`not`, `!`, `~`.</summary>
    Not,

    /// <summary>`==`, `eq`.</summary>
    Equal,

    /// <summary>`!=`, `ne`.</summary>
    NotEqual,

    /// <summary>`&lt;`, `lt`.</summary>
    Less,

    /// <summary>`&lt;=`, `le`.</summary>
    LessOrEqual,

    /// <summary>`&gt;`, `gt`.</summary>
    Greater,

    /// <summary>`&gt;=`, `ge`.</summary>
    GreaterOrEqual,

    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    LeftParen,
    RightParen,
    Colon,
}
