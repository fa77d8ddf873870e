using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Takler.Core;
using Takler.Core.Nodes;
using Takler.Server.Jobs;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Engine;

/// <summary>
/// The single writer. Every change to the tree is a command on one channel; one loop applies commands in order.
/// After each batch: with storage, the batch's changes are committed in one transaction; then replies go out, then
/// scheduling runs over what changed, the tasks it submits are marked submitted (new try, new password) and that is
/// committed too, and only then are the jobs handed to the job runner, whose outcomes come back as commands. So a
/// reply never announces a change that is not durable, and a job never runs with a password the store does not
/// know. Time dependencies wake the loop at the next instant that matters; a periodic pass
/// (<see cref="EngineOptions.Interval"/>) is only a safety net.
/// <para>
/// A commit that fails stops the engine: the commands of that batch fail (their changes are in memory but not on
/// disk, and memory and disk must not drift apart), the failure is logged as critical and <see cref="RunAsync"/>
/// ends with a <see cref="Storage.StorageException"/>.
/// </para>
/// </summary>
public sealed partial class SchedulerEngine
{
    private readonly Channel<EngineCommand> _commands = Channel.CreateUnbounded<EngineCommand>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly Bunch _bunch;
    private readonly IJobRunner _jobRunner;
    private readonly TimeProvider _time;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly EngineContext _context;
    private readonly List<TaskNode> _toSubmit = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskScheduling _scheduling;
    private long _commandsApplied;
    private long _batches;
    private Storage.StateJournal? _journal;
    private Exception? _fatal;

    public SchedulerEngine(Bunch bunch, IJobRunner jobRunner, TimeProvider time, EngineOptions options, ILogger logger)
    {
        _bunch = bunch;
        _jobRunner = jobRunner;
        _time = time;
        _options = options;
        _logger = logger;
        Operations = new Operations(bunch, time);
        _context = new EngineContext(this, bunch, Operations, time);
        _scheduling = new TaskScheduling(bunch, time);
    }

    /// <summary>Why a node is not running; call only from commands.</summary>
    internal IReadOnlyList<string> Why(Node node) => _scheduling.Why(node, _time.GetUtcNow());

    /// <summary>The tree's operations; call them only from commands.</summary>
    internal Operations Operations { get; }

    /// <summary>Commands applied since start.</summary>
    public long CommandsApplied => Interlocked.Read(ref _commandsApplied);

    /// <summary>Batches applied since start.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>The durable state journal; null when the server runs without storage.</summary>
    internal Storage.StateJournal? Journal => _journal;

    /// <summary>Commits every batch to <paramref name="journal"/> from now on; call before <see cref="RunAsync"/>.</summary>
    internal void UseJournal(Storage.StateJournal journal) => _journal = journal;

    /// <summary>Makes the commit after the current batch a snapshot; call only from commands.</summary>
    internal void RequestCheckpoint()
    {
        if (_journal is null)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, "checkpoint: the server runs without storage");
        }

        _journal.RequestSnapshot();
    }

    /// <summary>Raised on the loop after every batch (and its scheduling); for tests and waiters.</summary>
    public event Action? BatchApplied;

    /// <summary>Queues a command and waits for its reply.</summary>
    internal Task<T> ExecuteAsync<T>(string name, Func<EngineContext, T> apply, CancellationToken cancellationToken = default)
    {
        var command = new EngineCommand<T>(name, apply);
        if (!_commands.Writer.TryWrite(command))
        {
            throw new InvalidOperationException("the engine has stopped");
        }

        return cancellationToken.CanBeCanceled ? command.Completion.WaitAsync(cancellationToken) : command.Completion;
    }

    /// <summary>Queues a command without waiting (job outcomes).</summary>
    internal void Post(string name, Action<EngineContext> apply) =>
        _commands.Writer.TryWrite(new EngineCommand<bool>(name, c =>
        {
            apply(c);
            return true;
        }));

    /// <summary>Runs the loop until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async System.Threading.Tasks.Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var token = linked.Token;
        var batch = new List<EngineCommand>(_options.MaxBatch);
        var nextInterval = _time.GetUtcNow();
        Task<bool>? pendingRead = null;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var now = _time.GetUtcNow();
                var fullPass = false;
                if (now >= nextInterval)
                {
                    LogMainLoop();
                    fullPass = true;
                    nextInterval = now + _options.Interval;
                }

                batch.Clear();
                while (batch.Count < _options.MaxBatch && _commands.Reader.TryRead(out var command))
                {
                    batch.Add(command);
                }

                if (batch.Count > 0 || fullPass || _scheduling.IsDue(now))
                {
                    ApplyBatch(batch, now, fullPass);
                    continue;
                }

                var wake = _scheduling.NextChange is { } change && change < nextInterval ? change : nextInterval;
                pendingRead ??= _commands.Reader.WaitToReadAsync(token).AsTask();
                var delay = wake - now;
                if (delay > TimeSpan.Zero)
                {
                    using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(token);
                    var timer = System.Threading.Tasks.Task.Delay(delay, _time, delayCancel.Token);
                    var first = await System.Threading.Tasks.Task.WhenAny(pendingRead, timer).ConfigureAwait(false);
                    await delayCancel.CancelAsync().ConfigureAwait(false);
                    if (first == pendingRead)
                    {
                        var more = await pendingRead.ConfigureAwait(false);
                        pendingRead = null;
                        if (!more)
                        {
                            return;
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            _commands.Writer.TryComplete();
            while (_commands.Reader.TryRead(out var left))
            {
                (left as IEngineCancellable)?.Cancel();
            }
        }

        if (_fatal is { } fatal)
        {
            throw fatal as Storage.StorageException ?? new Storage.StorageException(_journal?.Store.Location ?? "state", $"commit failed: {fatal.Message}", fatal);
        }
    }

    /// <summary>Stops the loop.</summary>
    public void Stop() => _stopping.Cancel();

    private void ApplyBatch(List<EngineCommand> batch, DateTimeOffset now, bool fullPass)
    {
        foreach (var command in batch)
        {
            command.Apply(_context);
        }

        Interlocked.Add(ref _commandsApplied, batch.Count);
        Interlocked.Increment(ref _batches);
        if (!TryCommit(batch))
        {
            return;
        }

        foreach (var command in batch)
        {
            command.Reply();
        }

        var due = _scheduling.Pass(now, fullPass);
        foreach (var task in due)
        {
            SubmitTask(task);
        }

        var jobs = MarkSubmitted();

        // The new tries and passwords are durable before any job can call back with them.
        if (!TryCommit(null))
        {
            return;
        }

        foreach (var request in jobs)
        {
            _ = SubmitOffLoopAsync(request);
        }

        BatchApplied?.Invoke();
    }

    /// <summary>Commits the changes so far; on failure fails <paramref name="batch"/>'s commands and stops the engine.</summary>
    private bool TryCommit(List<EngineCommand>? batch)
    {
        if (_journal is null || !_journal.HasChanges)
        {
            return true;
        }

        try
        {
            _journal.Commit();
            return true;
        }
#pragma warning disable CA1031 // Whatever the store's failure, the batch fails and the engine stops.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogCommitFailed(_journal.Store.Location, e);
            _fatal = e;
            var error = new TaklerException(TaklerErrorCode.InternalError, $"the change could not be stored ({e.Message}); the server stops");
            foreach (var command in batch ?? [])
            {
                command.Fail(error);
                command.Reply();
            }

            _toSubmit.Clear();
            _stopping.Cancel();
            return false;
        }
    }

    internal void SubmitTask(TaskNode task)
    {
        if (!_toSubmit.Contains(task))
        {
            _toSubmit.Add(task);
        }
    }

    /// <summary>Marks the tasks to submit as submitted (new try, new password) and returns their jobs, not yet handed over.</summary>
    private List<JobRequest> MarkSubmitted()
    {
        if (_toSubmit.Count == 0)
        {
            return [];
        }

        var jobs = new List<JobRequest>(_toSubmit.Count);
        foreach (var task in _toSubmit)
        {
            var password = NewPassword();
            Operations.Submit(task, password);
            jobs.Add(new JobRequest(task.Path, task.TryNo, password, JobVariables.Capture(task)));
            LogSubmit(task.Path, task.TryNo);
        }

        _toSubmit.Clear();
        return jobs;
    }

    private async System.Threading.Tasks.Task SubmitOffLoopAsync(JobRequest request)
    {
        JobOutcome outcome;
        try
        {
            outcome = await _jobRunner.SubmitAsync(request, _stopping.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A runner failure is the submission's failure, reported on the task.
        catch (Exception e)
#pragma warning restore CA1031
        {
            outcome = JobOutcome.Failed($"submission failed: {e.Message}");
        }

        Post("job outcome", c => ApplySubmitOutcome(c, request, outcome));
    }

    private void ApplySubmitOutcome(EngineContext context, JobRequest request, JobOutcome outcome)
    {
        if (context.Bunch.FindNode(request.TaskPath) is not TaskNode task || task.TryNo != request.TryNo || task.Password != request.Password)
        {
            return; // the task moved on (requeued, resubmitted, deleted): this outcome is stale.
        }

        if (!outcome.Success)
        {
            if (task.Status == NodeStatus.Submitted)
            {
                LogSubmitFailed(task.Path, outcome.Reason ?? "unknown");
                context.Operations.SubmissionFailed(task, outcome.Reason ?? "submission failed");
            }

            return;
        }

        if (outcome.Rid is { } rid && task.Status == NodeStatus.Submitted && task.TaskId is null)
        {
            task.TaskId = rid;
            context.Bunch.Observer?.AttributeChanged(task); // journaled: a restarted server can kill and query the job
        }
    }

    internal async Task<JobOutcome> KillTask(TaskNode task)
    {
        var request = new JobRequest(task.Path, task.TryNo, task.Password ?? string.Empty, JobVariables.Capture(task), task.TaskId);
        var outcome = await _jobRunner.KillAsync(request, _stopping.Token).ConfigureAwait(false);
        if (outcome.Success)
        {
            await ExecuteAsync("killed", c =>
            {
                if (c.Bunch.FindNode(request.TaskPath) is TaskNode t && t.TryNo == request.TryNo &&
                    t.Status is NodeStatus.Submitted or NodeStatus.Active)
                {
                    c.Operations.AbortByOperator(t, "killed");
                }

                return true;
            }).ConfigureAwait(false);
        }

        return outcome;
    }

    internal Task<JobOutcome> StatusOfTask(TaskNode task)
    {
        var request = new JobRequest(task.Path, task.TryNo, task.Password ?? string.Empty, JobVariables.Capture(task), task.TaskId);
        return _jobRunner.StatusAsync(request, _stopping.Token);
    }

    private static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    [LoggerMessage(Level = LogLevel.Information, Message = "main loop...")]
    private partial void LogMainLoop();

    [LoggerMessage(Level = LogLevel.Debug, Message = "submit {Path} try {TryNo}")]
    private partial void LogSubmit(string path, int tryNo);

    [LoggerMessage(Level = LogLevel.Critical, Message = "state could not be stored in {Location}; the server stops")]
    private partial void LogCommitFailed(string location, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "submission of {Path} failed: {Reason}")]
    private partial void LogSubmitFailed(string path, string reason);
}
