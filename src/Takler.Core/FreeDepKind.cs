namespace Takler.Core;

/// <summary>Which dependencies `free-dep` frees (numbered as Takler's `FreeDepCommand.DepType`).</summary>
public enum FreeDepKind
{
    All = 0,
    Trigger = 1,
    Time = 2,
}
