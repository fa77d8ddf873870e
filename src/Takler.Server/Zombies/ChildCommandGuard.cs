using Takler.Core;
using Takler.Core.Nodes;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Zombies;

/// <summary>
/// Checks a child command's credentials against its task before it is applied: the job's password
/// (`takler-pass` metadata or the extension field), its try number and the task's state. A job that fails the
/// checks is a zombie, handled by the task's <see cref="ZombiePolicy"/>.
/// </summary>
public sealed class ChildCommandGuard
{
    private readonly ZombieList _zombies;
    private readonly TimeProvider _time;

    public ChildCommandGuard(ZombieList zombies, TimeProvider time, bool allowPasswordless)
    {
        _zombies = zombies;
        _time = time;
        AllowPasswordless = allowPasswordless;
    }

    /// <summary>Accept child commands without a password (Takler's own clients send none); only state checks apply.</summary>
    public bool AllowPasswordless { get; }

    /// <summary>
    /// Decides whether to apply a child command. Returns true to apply it, false to answer success without applying
    /// (fob); throws a <see cref="TaklerErrorCode.Zombie"/> error to refuse it.
    /// </summary>
    public bool Check(TaskNode task, string command, string? password, int? tryNo, string? rid)
    {
        if (IsRepeat(task, command, password, tryNo))
        {
            return false;
        }

        var reason = Problem(task, command, password, tryNo, rid);
        if (reason is null)
        {
            return true;
        }

        var policy = PolicyOf(task);
        _zombies.Record(task.Path, command, reason, password ?? string.Empty, tryNo, rid, policy, _time.GetUtcNow());
        switch (policy)
        {
            case ZombiePolicy.Fob:
                return false;
            case ZombiePolicy.Adopt:
                task.Adopt(password, tryNo, rid);
                return true;
            default:
                throw new TaklerException(TaklerErrorCode.Zombie, $"zombie: {task.Path}: {reason}");
        }
    }

    /// <summary>The zombie policy for a task: its `TAKLER_ZOMBIE_POLICY` variable (fail, fob, adopt).</summary>
    public static ZombiePolicy PolicyOf(Node task) => task.FindParameterValue("TAKLER_ZOMBIE_POLICY")?.Trim().ToLowerInvariant() switch
    {
        "fob" => ZombiePolicy.Fob,
        "adopt" => ZombiePolicy.Adopt,
        _ => ZombiePolicy.Fail,
    };

    /// <summary>
    /// Whether this is the task's own job sending again a complete or an abort that was already applied: clients retry a
    /// child command whose reply did not come in time (a slow or overloaded server), and the first attempt may have
    /// been applied. The job's password and try number show it is the same job, and the task is already where the
    /// command takes it: the answer is success again, nothing changes, and no zombie is listed. Without a password
    /// (passwordless children) a repeat cannot be told from a stray command, so the usual checks apply.
    /// </summary>
    private static bool IsRepeat(TaskNode task, string command, string? password, int? tryNo) =>
        !string.IsNullOrEmpty(password) && password == task.Password && (tryNo is null || tryNo == task.TryNo) &&
        ((command == "complete" && task.Status == NodeStatus.Complete) || (command == "abort" && task.Status == NodeStatus.Aborted));

    private string? Problem(TaskNode task, string command, string? password, int? tryNo, string? rid)
    {
        if (string.IsNullOrEmpty(password))
        {
            if (!AllowPasswordless)
            {
                return "no password (the server requires the job's TAKLER_PASS)";
            }
        }
        else if (password != task.Password)
        {
            return task.Password is null ? "the task has no job running" : "password does not match the task's current job";
        }

        if (tryNo is { } t && t != task.TryNo)
        {
            return $"try number {t} is not the task's current try {task.TryNo}";
        }

        if (command == "init" && task.Status == NodeStatus.Active && task.TaskId is { } current && rid is not null && rid != current)
        {
            return $"second init from job {rid}; the task is active with job {current}";
        }

        if (task.Status is not (NodeStatus.Submitted or NodeStatus.Active))
        {
            return $"{command} for a task that is {task.Status.Name()}";
        }

        return null;
    }
}
