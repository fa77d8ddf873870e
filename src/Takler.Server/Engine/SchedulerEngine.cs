using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Takler.Core;
using Takler.Core.Nodes;
using Takler.Core.Scheduling;
using Takler.Server.Jobs;
using Task = System.Threading.Tasks.Task;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Engine;

/// <summary>
/// The single writer. Every change to the tree is a command on one channel; one loop applies commands in order.
/// After each batch: with storage, the batch's changes are committed in one transaction, and its replies go out
/// only once that commit is durable; then scheduling runs over what changed, the tasks it submits are marked
/// submitted (new try, new password) and that is committed too, and the jobs are handed to the job runner only once
/// that commit is durable; their outcomes come back as commands. So a reply never announces (or shows) a change that
/// is not durable, and a job never runs with a password the store does not know. Commits are written in order by a
/// background writer while the loop goes on with the next batch, so one flush to disk serves every batch queued
/// meanwhile; a commit that does not flush (`--sync normal`) is written by the loop itself when nothing is queued,
/// which saves the thread hand-offs to the writer and back. Time dependencies wake the loop at the next instant that matters; a periodic pass
/// (<see cref="EngineOptions.Interval"/>) is only a safety net.
/// <para>
/// A commit that fails stops the engine: the commands of that batch and of every later one fail (their changes are
/// in memory but not on disk, and memory and disk must not drift apart), no job of theirs is handed over, the
/// failure is logged as critical and <see cref="RunAsync"/> ends with a <see cref="Storage.StorageException"/>.
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
    private readonly HashSet<TaskNode> _toSubmitSet = [];
    private readonly Dictionary<TaskNode, IReadOnlyDictionary<string, string>> _runParameters = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskScheduling _scheduling;
    private readonly StatusWatchers _watchers = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Path, int TryNo), byte> _killsInFlight = new();
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
        Replica = new QueryReplica(bunch, () => _commands.Writer.TryWrite(new EngineCommand<bool>("publish", static _ => true)));
        bunch.Observer = bunch.Observer is null ? _watchers : new CompositeNodeObserver(bunch.Observer, _watchers);
    }

    /// <summary>The copy of the tree that queries read off the loop.</summary>
    internal QueryReplica Replica { get; }

    /// <summary>The open status watches; use only from commands.</summary>
    internal StatusWatchers Watchers => _watchers;

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

    /// <summary>
    /// Binds every expression and builds the scheduling index ahead of the first batch. Only before
    /// <see cref="RunAsync"/>, and never at the same time as a command: the server calls it on another thread while it
    /// starts listening (requests then only queue), and starts the loop once it is done.
    /// </summary>
    internal void PrepareScheduling()
    {
        var started = _time.GetTimestamp();
        _scheduling.Prepare();
        LogSchedulingPrepared(_time.GetElapsedTime(started).TotalMilliseconds);
    }

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

    /// <summary>Queues a command and waits for its reply; once the engine has stopped, the task fails at once.</summary>
    internal Task<T> ExecuteAsync<T>(string name, Func<EngineContext, T> apply, CancellationToken cancellationToken = default)
    {
        var command = new EngineCommand<T>(name, apply);
        if (!_commands.Writer.TryWrite(command))
        {
            return Task.FromException<T>(new TaklerException(TaklerErrorCode.InternalError, $"{name}: the server is stopping"));
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
        Replica.LoopBegins();

        // One timer, re-armed only when the next instant that matters changes; when it fires it queues a wake-up, so
        // an idle loop waits on the channel alone. (A timer and a linked token per wait cost an extra thread-pool
        // round trip on every command of an idle server.)
        using var wakeTimer = _time.CreateTimer(
            static state => ((SchedulerEngine)state!)._commands.Writer.TryWrite(WakeUpCommand.Instance),
            this,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        var armedFor = DateTimeOffset.MaxValue;
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
                    if (command is WakeUpCommand)
                    {
                        armedFor = DateTimeOffset.MaxValue; // fired: arm again, even for the same instant (timers may fire early)
                        continue;
                    }

                    batch.Add(command);
                }

                if (batch.Count > 0 || fullPass || _scheduling.IsDue(now))
                {
                    ApplyBatch(batch, now, fullPass);
                    continue;
                }

                var wake = _scheduling.NextChange is { } change && change < nextInterval ? change : nextInterval;
                var delay = wake - now;
                if (delay <= TimeSpan.Zero)
                {
                    continue;
                }

                if (wake != armedFor)
                {
                    wakeTimer.Change(delay, Timeout.InfiniteTimeSpan);
                    armedFor = wake;
                }

                if (!await _commands.Reader.WaitToReadAsync(token).ConfigureAwait(false))
                {
                    return;
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

        Replica.Dispose();
        if (_journal is { } journal)
        {
            // Commits queued before the stop are written (or fail) before the store can be closed.
            await journal.DrainAsync().ConfigureAwait(false);
        }

        if (Volatile.Read(ref _fatal) is { } fatal)
        {
            throw fatal as Storage.StorageException ?? new Storage.StorageException(_journal?.Store.Location ?? "state", $"commit failed: {fatal.Message}", fatal);
        }
    }

    /// <summary>Stops the loop.</summary>
    public void Stop() => _stopping.Cancel();

    private void ApplyBatch(List<EngineCommand> batch, DateTimeOffset now, bool fullPass)
    {
        // The first batch's time is logged (debug): with a restored tree it is the first full pass.
        var started = _batches == 0 ? _time.GetTimestamp() : 0;
        foreach (var command in batch)
        {
            command.Apply(_context);
        }

        Interlocked.Add(ref _commandsApplied, batch.Count);
        Interlocked.Increment(ref _batches);
        var durable = Commit();
        if (durable.IsFaulted)
        {
            Fatal(durable.Exception.InnerException ?? durable.Exception);
            FailAndReply(batch, durable.Exception.InnerException ?? durable.Exception);
            _toSubmit.Clear();
            _toSubmitSet.Clear();
            _runParameters.Clear();
            return;
        }

        // Published before the replies go out, so a client that got its reply reads its change.
        Replica.Publish(durable, _journal?.TakeSnapshot());
        ReplyWhenDurable(batch, durable);
        var due = _scheduling.Pass(now, fullPass);
        foreach (var task in due)
        {
            SubmitTask(task);
        }

        var jobs = MarkSubmitted();

        // The new tries and passwords are durable before any job can call back with them.
        var submitted = Commit();
        Replica.Publish(submitted, _journal?.TakeSnapshot());
        HandOverWhenDurable(jobs, submitted);
        NotifyWatchersWhenDurable(submitted);
        if (Batches == 1)
        {
            LogFirstBatch(_time.GetElapsedTime(started).TotalMilliseconds);
        }

        BatchApplied?.Invoke();
    }

    /// <summary>Queues the changes so far for commit; without storage, done at once.</summary>
    private Task Commit()
    {
        if (_journal is null)
        {
            return System.Threading.Tasks.Task.CompletedTask;
        }

        try
        {
            return _journal.Commit();
        }
#pragma warning disable CA1031 // Whatever the failure, the batch fails and the engine stops.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return System.Threading.Tasks.Task.FromException(e);
        }
    }

    private void ReplyWhenDurable(List<EngineCommand> batch, Task durable)
    {
        if (durable.IsCompletedSuccessfully)
        {
            foreach (var command in batch)
            {
                command.Reply();
            }

            return;
        }

        var commands = batch.ToArray();
        durable.ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    foreach (var command in commands)
                    {
                        command.Reply();
                    }

                    return;
                }

                var error = t.Exception?.InnerException ?? new OperationCanceledException();
                Fatal(error);
                FailAndReply(commands, error);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void HandOverWhenDurable(List<JobRequest> jobs, Task durable)
    {
        if (jobs.Count == 0)
        {
            return;
        }

        if (durable.IsCompletedSuccessfully)
        {
            foreach (var request in jobs)
            {
                _ = SubmitOffLoopAsync(request);
            }

            return;
        }

        durable.ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    foreach (var request in jobs)
                    {
                        _ = SubmitOffLoopAsync(request);
                    }
                }
                else
                {
                    Fatal(t.Exception?.InnerException ?? new OperationCanceledException());
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Sends the watches their updates of this batch, once the batch is durable (as replies are).</summary>
    private void NotifyWatchersWhenDurable(Task durable)
    {
        if (_watchers.Count == 0 || _watchers.Collect(_bunch) is not { } changes)
        {
            return;
        }

        if (durable.IsCompletedSuccessfully)
        {
            DeliverToWatchers(changes);
            return;
        }

        durable.ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    DeliverToWatchers(changes);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static void DeliverToWatchers(List<(StatusWatch Watch, List<StatusUpdate> Updates, bool Finished)> changes)
    {
        foreach (var (watch, updates, finished) in changes)
        {
            watch.Deliver(updates, finished);
        }
    }

    private static void FailAndReply(IEnumerable<EngineCommand> commands, Exception cause)
    {
        var error = new TaklerException(TaklerErrorCode.InternalError, $"the change could not be stored ({cause.Message}); the server stops");
        foreach (var command in commands)
        {
            command.Fail(error);
            command.Reply();
        }
    }

    /// <summary>A commit failed: memory holds changes the disk does not. Logged once; the engine stops.</summary>
    private void Fatal(Exception e)
    {
        if (Interlocked.CompareExchange(ref _fatal, e, null) is null)
        {
            LogCommitFailed(_journal?.Store.Location ?? "state", e);
        }

        _stopping.Cancel();
    }

    internal void SubmitTask(TaskNode task, IReadOnlyDictionary<string, string>? runParameters = null)
    {
        // A set beside the ordered list: a pass may hand over 100k tasks at once (a begin without limits).
        if (_toSubmitSet.Add(task))
        {
            _toSubmit.Add(task);
        }

        if (runParameters is not null)
        {
            _runParameters[task] = runParameters;
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
            jobs.Add(JobRequestFor(task, _runParameters.GetValueOrDefault(task)));
            LogSubmit(task.Path, task.TryNo);
        }

        _toSubmit.Clear();
        _toSubmitSet.Clear();
        _runParameters.Clear();
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

    /// <summary>The job request of a task's current try, for kill and status; build it on the loop.</summary>
    internal static JobRequest JobRequestFor(TaskNode task) => JobRequestFor(task, null);

    /// <summary>The job request of a task's current try, with variables of this job only laid over the tree's.</summary>
    private static JobRequest JobRequestFor(TaskNode task, IReadOnlyDictionary<string, string>? runParameters)
    {
        var variables = JobVariables.Capture(task);
        foreach (var (name, value) in runParameters ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        return new(task.Path, task.TryNo, task.Password ?? string.Empty, variables, task.TaskId);
    }

    /// <summary>Runs the kill command of a job (off the loop); the task aborts with reason `killed` if still on that try.</summary>
    internal async Task<JobOutcome> KillTask(JobRequest request)
    {
        var kill = (request.TaskPath, request.TryNo);
        _killsInFlight.TryAdd(kill, 0);
        try
        {
            var outcome = await _jobRunner.KillAsync(request, _stopping.Token).ConfigureAwait(false);
            if (outcome.Success)
            {
                await ExecuteAsync("killed", c =>
                {
                    // Ends the kill on the loop, so a job's abort is recorded as killed until this command has run.
                    _killsInFlight.TryRemove(kill, out _);
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
        finally
        {
            _killsInFlight.TryRemove(kill, out _);
        }
    }

    /// <summary>
    /// Whether this try of the task is being killed: the job's own abort (its TERM trap) may then arrive before the kill
    /// command has returned, and is recorded with the operator's reason, <c>killed</c>.
    /// </summary>
    internal bool IsBeingKilled(TaskNode task) => _killsInFlight.ContainsKey((task.Path, task.TryNo));

    /// <summary>Runs the status command of a job (off the loop).</summary>
    internal Task<JobOutcome> StatusOfTask(JobRequest request) => _jobRunner.StatusAsync(request, _stopping.Token);

    private static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    [LoggerMessage(Level = LogLevel.Debug, Message = "first batch in {Milliseconds:F0} ms")]
    private partial void LogFirstBatch(double milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "scheduling prepared (bind, scheduling index) in {Milliseconds:F0} ms")]
    private partial void LogSchedulingPrepared(double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "main loop...")]
    private partial void LogMainLoop();

    [LoggerMessage(Level = LogLevel.Debug, Message = "submit {Path} try {TryNo}")]
    private partial void LogSubmit(string path, int tryNo);

    [LoggerMessage(Level = LogLevel.Critical, Message = "state could not be stored in {Location}; the server stops")]
    private partial void LogCommitFailed(string location, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "submission of {Path} failed: {Reason}")]
    private partial void LogSubmitFailed(string path, string reason);
}
