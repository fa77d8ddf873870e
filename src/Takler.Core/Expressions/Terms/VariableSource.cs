namespace Takler.Core.Expressions.Terms;

/// <summary>Where a variable's value is read at evaluation.</summary>
internal enum VariableSource
{
    /// <summary>A user parameter of the owner node.</summary>
    User,

    /// <summary>A value the owner node generates (TASK, FAMILY, a date repeat's NAME_YYYY, ...).</summary>
    Generated,

    /// <summary>A server parameter.</summary>
    Server,
}
