namespace Takler.Client;

/// <summary>The outcome of one request of a <see cref="TaklerClientPool"/>: a value, or the failure, never both.</summary>
/// <typeparam name="T">What the request returns.</typeparam>
/// <param name="Index">The request's place in submission order (0-based).</param>
/// <param name="Server">The server it went to.</param>
/// <param name="Value">What it returned; default when it failed.</param>
/// <param name="Error">Why it failed (a <see cref="TaklerClientException"/> for server and transport failures); null on success.</param>
public sealed record PoolResult<T>(int Index, ServerAddress Server, T? Value, Exception? Error)
{
    /// <summary>True when the request returned a value.</summary>
    public bool Succeeded => Error is null;

    /// <summary>True when the request was given up because the pool's timeout passed first.</summary>
    public bool TimedOut => Error is TaklerClientException { ErrorType: TaklerClientPool.TimeoutErrorType };
}
