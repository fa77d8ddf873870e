using Takler.Core.Attributes;

namespace Takler.Core.Nodes;

/// <summary>
/// A task: a leaf whose job the server submits. Tracks the job's run-time identity: try number, password,
/// the job's remote id (RID, Takler's `task_id`), timestamps and the abort reason.
/// </summary>
public class Task : Node
{
    // The state of a job (try number, password, ids, timestamps, held limits) lives in a side object made when one
    // is first set (clearing them on a task that never ran makes none): a loaded definition of 100,000 tasks that
    // have never run is about 12 MB smaller.
    private TaskRun? _run;

    public Task(string name)
        : base(name)
    {
    }

    /// <summary>The job's id as reported by `init` or the batch system (Takler's `task_id`); null before.</summary>
    public string? TaskId
    {
        get => _run?.TaskId;
        internal set => SetRun(value, static (r, v) => r.TaskId = v);
    }

    /// <summary>Why the task aborted; null unless aborted.</summary>
    public string? AbortedReason
    {
        get => _run?.AbortedReason;
        internal set => SetRun(value, static (r, v) => r.AbortedReason = v);
    }

    /// <summary>The try number: 0 before the first submission, then 1, 2, ...</summary>
    public int TryNo
    {
        get => _run?.TryNo ?? 0;
        internal set => SetRun(value, static (r, v) => r.TryNo = v);
    }

    /// <summary>The password given to the current job; child commands must present it.</summary>
    public string? Password
    {
        get => _run?.Password;
        internal set => SetRun(value, static (r, v) => r.Password = v);
    }

    /// <summary>When the current try was submitted (UTC).</summary>
    public DateTimeOffset? SubmittedAt
    {
        get => _run?.SubmittedAt;
        internal set => SetRun(value, static (r, v) => r.SubmittedAt = v);
    }

    /// <summary>When the current try became active (UTC).</summary>
    public DateTimeOffset? ActiveAt
    {
        get => _run?.ActiveAt;
        internal set => SetRun(value, static (r, v) => r.ActiveAt = v);
    }

    /// <summary>When the task last completed or aborted (UTC).</summary>
    public DateTimeOffset? FinishedAt
    {
        get => _run?.FinishedAt;
        internal set => SetRun(value, static (r, v) => r.FinishedAt = v);
    }

    /// <summary>Set when an operator killed or force-aborted it: no automatic retry follows.</summary>
    public bool AbortedByOperator
    {
        get => _run?.AbortedByOperator ?? false;
        internal set => SetRun(value, static (r, v) => r.AbortedByOperator = v);
    }

    /// <summary>The limits this task holds tokens of, with whether only while submitted; null when none.</summary>
    private List<(Limit Limit, bool SubmissionOnly)>? HeldEntries
    {
        get => _run?.HeldLimits;
        set => SetRun(value, static (r, v) => r.HeldLimits = v);
    }

    /// <summary>The limits this task holds tokens of.</summary>
    public IEnumerable<Limit> HeldLimits => HeldEntries?.Select(h => h.Limit) ?? [];

    public override IEnumerable<KeyValuePair<string, string>> GeneratedParameters()
    {
        yield return new("TASK", Name);
        yield return new("TAKLER_NAME", Path);
        yield return new("TAKLER_RID", TaskId ?? string.Empty);
        yield return new("TAKLER_TRY_NO", Text(TryNo));
        yield return new("TAKLER_PASS", Password ?? string.Empty);
        foreach (var p in JobParameters())
        {
            yield return p;
        }

        yield return new("ECF_NAME", Path);
        yield return new("ECF_PASS", Password ?? string.Empty);
        yield return new("ECF_TRYNO", Text(TryNo));
        yield return new("ECF_RID", TaskId ?? string.Empty);
    }

    /// <summary>TAKLER_SCRIPT (when known), TAKLER_JOB and TAKLER_JOBOUT.</summary>
    private protected virtual IEnumerable<KeyValuePair<string, string>> JobParameters()
    {
        var home = FindOwnParameter("TAKLER_HOME")?.Value ?? Parent?.FindParameterValue("TAKLER_HOME") ?? Bunch?.FindServerParameterValue("TAKLER_HOME") ?? ".";
        yield return new("TAKLER_JOB", $"{home}{Path}.job{Text(TryNo)}");
        yield return new("TAKLER_JOBOUT", $"{home}{Path}.{Text(TryNo)}");
    }

    /// <summary>Resolves the limit an in-limit names, from this task's place in the tree; null when it does not exist.</summary>
    public Limit? FindLimitFor(InLimit inLimit, Node holder) => FindLimitFrom(inLimit, holder);

    /// <summary>Every in-limit that applies to this task (its own and its ancestors'), with the node that declares it.</summary>
    public IEnumerable<(InLimit InLimit, Node Declarer)> ApplicableInLimits()
    {
        for (Node? node = this; node is not null; node = node.Parent)
        {
            foreach (var il in node.InLimits)
            {
                yield return (il, node);
            }
        }
    }

    /// <summary>Marks the task submitted for a new try: next try number, the job's password, tokens taken.</summary>
    internal void MarkSubmitted(string password, DateTimeOffset now)
    {
        TryNo++;
        Password = password;
        TaskId = null;
        AbortedReason = null;
        AbortedByOperator = false;
        SubmittedAt = now;
        ActiveAt = null;
        SetStatus(NodeStatus.Submitted);
    }

    /// <summary>Takes a calling job as this task's current job (zombie policy `adopt`).</summary>
    public void Adopt(string? password, int? tryNo, string? rid)
    {
        if (!string.IsNullOrEmpty(password))
        {
            Password = password;
        }

        if (tryNo is { } t)
        {
            TryNo = t;
        }

        if (rid is not null)
        {
            TaskId = rid;
        }

        if (Status is not (NodeStatus.Submitted or NodeStatus.Active))
        {
            SetStatus(NodeStatus.Active);
        }

        NotifyAttributeChanged();
    }

    /// <summary>Restores the try identity from a snapshot.</summary>
    internal void RestoreRuntime(string? taskId, string? abortedReason, int tryNo, string? password)
    {
        TaskId = taskId;
        AbortedReason = abortedReason;
        TryNo = tryNo;
        Password = password;
    }

    private protected override void OnStatusChanged(NodeStatus old, NodeStatus status)
    {
        switch (status)
        {
            case NodeStatus.Submitted:
                TakeTokens();
                break;
            case NodeStatus.Active:
                TakeTokens();
                ReleaseSubmissionOnlyTokens();
                ReleaseFamilyTokens();
                break;
            default:
                ReleaseTokens();
                break;
        }
    }

    internal void TakeTokens()
    {
        var holdsOwn = HeldEntries is { Count: > 0 };
        foreach (var (inLimit, declarer) in ApplicableInLimits())
        {
            if (inLimit.LimitFamilies && declarer is NodeContainer)
            {
                // `inlimit -n`: the family that declares it holds the tokens while any task below it runs.
                if (FindLimitFor(inLimit, declarer) is { } familyLimit && !familyLimit.IsHeldBy(declarer.Path))
                {
                    familyLimit.Take(declarer.Path, inLimit.Tokens);
                }

                continue;
            }

            if (holdsOwn)
            {
                continue;
            }

            if (FindLimitFor(inLimit, declarer) is { } limit && !limit.IsHeldBy(Path))
            {
                limit.Take(Path, inLimit.Tokens);
                (HeldEntries ??= []).Add((limit, inLimit.SubmissionOnly));
            }
        }
    }

    internal void ReleaseTokens()
    {
        ReleaseOwnTokens();
        ReleaseFamilyTokens();
    }

    private void ReleaseOwnTokens()
    {
        if (HeldEntries is null)
        {
            return;
        }

        foreach (var (limit, _) in HeldEntries)
        {
            limit.Release(Path);
        }

        HeldEntries = null;
    }

    /// <summary>Releases the `inlimit -n` tokens of the families above this task that no longer have a task running below them.</summary>
    private void ReleaseFamilyTokens()
    {
        for (Node? node = Parent; node is not null; node = node.Parent)
        {
            ReleaseFamilyTokensIfIdle(node);
        }
    }

    /// <summary>
    /// Releases the `inlimit -n` tokens <paramref name="declarer"/> holds when no task below it is running (submitted
    /// or active; submitted only for `-s`).
    /// </summary>
    internal static void ReleaseFamilyTokensIfIdle(Node declarer)
    {
        if (declarer is not NodeContainer || declarer.InLimits.Count == 0)
        {
            return;
        }

        foreach (var inLimit in declarer.InLimits)
        {
            if (!inLimit.LimitFamilies ||
                FindLimitFrom(inLimit, declarer) is not { } limit ||
                !limit.IsHeldBy(declarer.Path) ||
                AnyRunningBelow(declarer, inLimit.SubmissionOnly))
            {
                continue;
            }

            limit.Release(declarer.Path);
        }
    }

    /// <summary>
    /// Releases every token held by a node of the subtree (tasks and `inlimit -n` families), then the family tokens
    /// above it that are left idle: used when the subtree leaves the tree.
    /// </summary>
    internal static void ReleaseSubtree(Node root, bool ancestorsToo)
    {
        foreach (var node in root.SelfAndDescendants())
        {
            if (node is Task task)
            {
                task.ReleaseOwnTokens();
            }

            if (node is NodeContainer)
            {
                foreach (var inLimit in node.InLimits)
                {
                    if (inLimit.LimitFamilies && FindLimitFrom(inLimit, node) is { } limit)
                    {
                        limit.Release(node.Path);
                    }
                }
            }
        }

        if (ancestorsToo)
        {
            for (var node = root.Parent; node is not null; node = node.Parent)
            {
                ReleaseFamilyTokensIfIdle(node);
            }
        }
    }

    private static Limit? FindLimitFrom(InLimit inLimit, Node holder)
    {
        if (inLimit.Path is { } path)
        {
            return holder.Resolve(path)?.FindLimit(inLimit.Name);
        }

        for (Node? node = holder; node is not null; node = node.Parent)
        {
            if (node.FindLimit(inLimit.Name) is { } limit)
            {
                return limit;
            }
        }

        return null;
    }

    private static bool AnyRunningBelow(Node container, bool submittedOnly)
    {
        foreach (var node in container.SelfAndDescendants())
        {
            if (node is Task && (node.Status == NodeStatus.Submitted || (!submittedOnly && node.Status == NodeStatus.Active)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Re-links held limits after a restore (limits record holders by path), as <see cref="TakeTokens"/> would have
    /// linked them: family in-limits skipped, each limit once, the nearest in-limit deciding submission-only.
    /// </summary>
    internal void RelinkHeldLimits()
    {
        HeldEntries = null;
        foreach (var (inLimit, declarer) in ApplicableInLimits())
        {
            if (inLimit.LimitFamilies)
            {
                continue;
            }

            if (FindLimitFor(inLimit, declarer) is { } limit && limit.IsHeldBy(Path) &&
                !(HeldEntries?.Exists(h => ReferenceEquals(h.Limit, limit)) ?? false))
            {
                (HeldEntries ??= []).Add((limit, inLimit.SubmissionOnly));
            }
        }
    }

    private void ReleaseSubmissionOnlyTokens()
    {
        if (HeldEntries is null)
        {
            return;
        }

        foreach (var (limit, submissionOnly) in HeldEntries.Where(h => h.SubmissionOnly).ToList())
        {
            limit.Release(Path);
            HeldEntries.Remove((limit, submissionOnly));
        }
    }

    internal override void ResetAttributes(bool resetRepeat)
    {
        base.ResetAttributes(resetRepeat);
        TryNo = 0;
        TaskId = null;
        AbortedReason = null;
        Password = null;
        AbortedByOperator = false;
        SubmittedAt = null;
        ActiveAt = null;
        if (_run is { FinishedAt: null, HeldLimits: null })
        {
            _run = null;
        }
    }

    /// <summary>Sets a job state value; setting the default on a task without any makes no side object.</summary>
    private void SetRun<T>(T value, Action<TaskRun, T> set)
    {
        if (_run is not null || !EqualityComparer<T>.Default.Equals(value, default))
        {
            set(_run ??= new TaskRun(), value);
        }
    }

    /// <summary>The state of the job of a task that has run.</summary>
    private sealed class TaskRun
    {
        public int TryNo;
        public bool AbortedByOperator;
        public string? TaskId;
        public string? AbortedReason;
        public string? Password;
        public DateTimeOffset? SubmittedAt;
        public DateTimeOffset? ActiveAt;
        public DateTimeOffset? FinishedAt;
        public List<(Limit Limit, bool SubmissionOnly)>? HeldLimits;
    }
}
