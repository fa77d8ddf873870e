namespace Takler.Core.Expressions;

/// <summary>What kind of problem a <see cref="BindProblem"/> is.</summary>
public enum BindProblemKind
{
    /// <summary>The expression does not parse.</summary>
    SyntaxError,

    /// <summary>A path names no node.</summary>
    NodeNotFound,

    /// <summary>`path:name`: the node has no event, meter, variable, repeat, limit or label of that name.</summary>
    AttributeNotFound,

    /// <summary>`:name`: neither the holder, its ancestors nor the server has a variable of that name.</summary>
    VariableNotFound,
}
