namespace Takler.Server.Security;

/// <summary>What a user may do; each role includes the ones below it.</summary>
public enum UserRole
{
    /// <summary>Queries: show, status, why, tree, zombies, stats, export, coroutine.</summary>
    Read = 1,

    /// <summary>Control commands as well: begin, requeue, suspend, resume, run, force, free-dep, kill, alter.</summary>
    Operate = 2,

    /// <summary>Everything: also load, replace, delete and server control (checkpoint).</summary>
    Admin = 3,
}
