namespace Takler.Server.Zombies;

/// <summary>A job that called back but is not the job the server expects for its task.</summary>
/// <param name="TaskPath">The task it claims to run.</param>
/// <param name="Command">The child command it sent last.</param>
/// <param name="Reason">Why it is a zombie, in words.</param>
/// <param name="Password">The password it presented (empty when none).</param>
/// <param name="TryNo">The try number it presented, if any.</param>
/// <param name="Rid">Its remote id, if any.</param>
/// <param name="Action">What was done: failed, fobbed or adopted.</param>
/// <param name="FirstSeen">When it first called.</param>
/// <param name="LastSeen">When it last called.</param>
/// <param name="Calls">How many calls it made.</param>
public sealed record Zombie(
    string TaskPath,
    string Command,
    string Reason,
    string Password,
    int? TryNo,
    string? Rid,
    ZombiePolicy Action,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    int Calls);
