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
/// After each batch: replies go out, then scheduling runs over what changed, then submissions are handed to the
/// job runner, whose outcomes come back as commands. Time dependencies wake the loop at the next instant that
/// matters; a periodic pass (<see cref="EngineOptions.Interval"/>) is only a safety net.
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

        foreach (var command in batch)
        {
            command.Reply();
        }

        var due = _scheduling.Pass(now, fullPass);
        foreach (var task in due)
        {
            SubmitTask(task);
        }

        FlushSubmissions();
        BatchApplied?.Invoke();
    }

    internal void SubmitTask(TaskNode task)
    {
        if (!_toSubmit.Contains(task))
        {
            _toSubmit.Add(task);
        }
    }

    private void FlushSubmissions()
    {
        if (_toSubmit.Count == 0)
        {
            return;
        }

        foreach (var task in _toSubmit)
        {
            var password = NewPassword();
            Operations.Submit(task, password);
            var request = new JobRequest(task.Path, task.TryNo, password, JobVariables.Capture(task));
            LogSubmit(task.Path, task.TryNo);
            _ = SubmitOffLoopAsync(request);
        }

        _toSubmit.Clear();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "submission of {Path} failed: {Reason}")]
    private partial void LogSubmitFailed(string path, string reason);
}
