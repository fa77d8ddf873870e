using System.Runtime.CompilerServices;

namespace Takler.Client;

/// <summary>
/// The same request to many servers at once, as Napix's client pool:
/// <code>
/// using var pool = new TaklerClientPool();
/// var stats = await pool.WhenAll(servers, (client, ct) => client.StatsAsync(ct));          // submission order
/// await foreach (var r in pool.AsAsyncEnumerable(servers, (c, ct) => c.PingAsync(ct), TimeSpan.FromSeconds(10)))
/// {
///     if (r.Succeeded) { ... }                                                             // as they complete
/// }
/// </code>
/// At most <see cref="Simultaneous"/> requests are in flight per server (a server named twice gets its requests
/// queued); one client (one connection) is made per server and kept for the pool's life. A server's failure is a
/// result (<see cref="PoolResult{T}.Error"/>), never an exception that hides the other servers' results.
/// </summary>
public sealed class TaklerClientPool : IDisposable
{
    /// <summary>The <see cref="TaklerClientException.ErrorType"/> of a request the pool's timeout gave up.</summary>
    public const string TimeoutErrorType = "TimeoutError";

    private readonly Lock _gate = new();
    private readonly Dictionary<ServerAddress, (TaklerServiceClient Client, SemaphoreSlim Slots)> _servers = [];
    private readonly TaklerClientOptions? _options;
    private bool _disposed;

    /// <summary>A pool whose clients use <paramref name="options"/> (credentials, retries); at most <paramref name="simultaneous"/> requests per server.</summary>
    public TaklerClientPool(TaklerClientOptions? options = null, int simultaneous = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(simultaneous, 1);
        _options = options;
        Simultaneous = simultaneous;
    }

    /// <summary>The most requests in flight to one server. The default value is 2.</summary>
    public int Simultaneous { get; }

    /// <summary>Sends <paramref name="call"/> to every server and returns every outcome, in the order of <paramref name="servers"/>.</summary>
    public async Task<IReadOnlyList<PoolResult<T>>> WhenAll<T>(
        IEnumerable<ServerAddress> servers,
        Func<TaklerServiceClient, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(call);
        return await Task.WhenAll(servers.Select((s, i) => RunAsync(i, s, call, cancellationToken))).ConfigureAwait(false);
    }

    /// <inheritdoc cref="WhenAll{T}(IEnumerable{ServerAddress}, Func{TaklerServiceClient, CancellationToken, Task{T}}, CancellationToken)"/>
    public Task<IReadOnlyList<PoolResult<bool>>> WhenAll(
        IEnumerable<ServerAddress> servers,
        Func<TaklerServiceClient, CancellationToken, Task> call,
        CancellationToken cancellationToken = default) =>
        WhenAll(servers, AsValue(call), cancellationToken);

    /// <summary>
    /// Sends <paramref name="call"/> to every server and yields the outcomes as they complete. When
    /// <paramref name="timeout"/> passes first, the requests still running are cancelled and yielded last as
    /// failures with <see cref="PoolResult{T}.TimedOut"/>. Stopping the enumeration early cancels what is left.
    /// </summary>
    public async IAsyncEnumerable<PoolResult<T>> AsAsyncEnumerable<T>(
        IEnumerable<ServerAddress> servers,
        Func<TaklerServiceClient, CancellationToken, Task<T>> call,
        TimeSpan? timeout = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(call);
        var time = _options?.TimeProvider ?? TimeProvider.System;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var list = servers.ToList();
        var pending = list.Select((server, i) => RunAsync(i, server, call, stop.Token)).ToHashSet();
        var deadline = Task.Delay(timeout ?? Timeout.InfiniteTimeSpan, time, stop.Token);
        try
        {
            while (pending.Count > 0)
            {
                var first = await Task.WhenAny([.. pending, deadline]).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (first == deadline)
                {
                    break;
                }

                var done = (Task<PoolResult<T>>)first;
                pending.Remove(done);
                yield return await done.ConfigureAwait(false);
            }

            // The timeout passed: what is still running is given up, and reported as timed out.
            await stop.CancelAsync().ConfigureAwait(false);
            var late = await Task.WhenAll(pending).ConfigureAwait(false);
            foreach (var result in late.OrderBy(r => r.Index))
            {
                yield return result.Succeeded ? result : result with
                {
                    Error = TaklerClientException.Local(TimeoutErrorType, $"no answer from {result.Server} within {timeout!.Value.TotalSeconds:0.###} s", result.Server, innerException: result.Error),
                };
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="AsAsyncEnumerable{T}(IEnumerable{ServerAddress}, Func{TaklerServiceClient, CancellationToken, Task{T}}, TimeSpan?, CancellationToken)"/>
    public IAsyncEnumerable<PoolResult<bool>> AsAsyncEnumerable(
        IEnumerable<ServerAddress> servers,
        Func<TaklerServiceClient, CancellationToken, Task> call,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        AsAsyncEnumerable(servers, AsValue(call), timeout, cancellationToken);

    /// <summary>Closes every connection.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var (client, slots) in _servers.Values)
            {
                client.Dispose();
                slots.Dispose();
            }

            _servers.Clear();
            _disposed = true;
        }
    }

    private static Func<TaklerServiceClient, CancellationToken, Task<bool>> AsValue(Func<TaklerServiceClient, CancellationToken, Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return async (c, ct) =>
        {
            await call(c, ct).ConfigureAwait(false);
            return true;
        };
    }

    private async Task<PoolResult<T>> RunAsync<T>(int index, ServerAddress server, Func<TaklerServiceClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var (client, slots) = For(server);
        try
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return new PoolResult<T>(index, server, await call(client, cancellationToken).ConfigureAwait(false), null);
            }
            finally
            {
                slots.Release();
            }
        }
#pragma warning disable CA1031 // A server's failure, whatever it is, is that server's result.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new PoolResult<T>(index, server, default, e);
        }
    }

    private (TaklerServiceClient Client, SemaphoreSlim Slots) For(ServerAddress server)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_servers.TryGetValue(server, out var entry))
            {
                entry = (new TaklerServiceClient(server, _options), new SemaphoreSlim(Simultaneous, Simultaneous));
                _servers[server] = entry;
            }

            return entry;
        }
    }
}
