namespace Takler.Protocol.Grpc.Client;

/// <summary>The cancellation of one client call: the caller's token joined with the deadline's timer.</summary>
internal sealed class ClientCallScope : IDisposable
{
    // CancellationTokenSource timers take at most uint.MaxValue - 1 milliseconds (~49 days).
    private static readonly TimeSpan MaxTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly CancellationTokenSource? _deadlineCts;
    private readonly CancellationTokenSource? _linkedCts;

    private ClientCallScope(CancellationToken callerToken, TimeSpan? timeout, CancellationTokenSource? deadlineCts)
    {
        CallerToken = callerToken;
        Timeout = timeout;
        _deadlineCts = deadlineCts;
        if (deadlineCts is not null)
        {
            _linkedCts = CancellationTokenSource.CreateLinkedTokenSource(callerToken, deadlineCts.Token);
        }

        Token = _linkedCts?.Token ?? callerToken;
    }

    /// <summary>The token the caller passed.</summary>
    public CancellationToken CallerToken { get; }

    /// <summary>Cancelled by the caller or by the deadline.</summary>
    public CancellationToken Token { get; }

    /// <summary>The time left at the start of the call, sent as <c>grpc-timeout</c>; null for none.</summary>
    public TimeSpan? Timeout { get; }

    public bool DeadlineExpired => _deadlineCts?.IsCancellationRequested == true;

    /// <summary>Starts a scope; a deadline already past fails at once with DEADLINE_EXCEEDED.</summary>
    public static ClientCallScope Start(TimeProvider timeProvider, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (deadline is null || deadline == DateTimeOffset.MaxValue)
        {
            return new ClientCallScope(cancellationToken, timeout: null, deadlineCts: null);
        }

        var timeout = deadline.Value - timeProvider.GetUtcNow();
        if (timeout <= TimeSpan.Zero)
        {
            throw new RpcException(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }

        var deadlineCts = timeout <= MaxTimer ? new CancellationTokenSource(timeout, timeProvider) : null;
        return new ClientCallScope(cancellationToken, timeout, deadlineCts);
    }

    public void Dispose()
    {
        _linkedCts?.Dispose();
        _deadlineCts?.Dispose();
    }
}
