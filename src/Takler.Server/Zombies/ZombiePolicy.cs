namespace Takler.Server.Zombies;

/// <summary>What the server does with a zombie's child command (`TAKLER_ZOMBIE_POLICY`). The default is <see cref="Fail"/>.</summary>
public enum ZombiePolicy
{
    /// <summary>Refuse the command; the job's client gets an error (`zombie`).</summary>
    Fail,

    /// <summary>Answer success without applying it ("fob off"), so the job can finish quietly.</summary>
    Fob,

    /// <summary>Adopt the job: it becomes the task's current job and the command is applied.</summary>
    Adopt,
}
