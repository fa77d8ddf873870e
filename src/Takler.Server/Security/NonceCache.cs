namespace Takler.Server.Security;

/// <summary>
/// The nonces of signed requests seen within the clock-skew window, so a captured request cannot be replayed.
/// Entries older than the window are dropped: a request that old is refused by its time anyway.
/// </summary>
internal sealed class NonceCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private DateTimeOffset _nextSweep;

    public NonceCache(TimeProvider time, TimeSpan window)
    {
        _time = time;
        _window = window;
    }

    /// <summary>Adds a user's nonce; false when it was seen already.</summary>
    public bool TryAdd(string user, string nonce, DateTimeOffset signedAt)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (now >= _nextSweep)
            {
                foreach (var (key, at) in _seen.ToList())
                {
                    if (now - at > _window * 2)
                    {
                        _seen.Remove(key);
                    }
                }

                _nextSweep = now + _window;
            }

            return _seen.TryAdd(user + "\n" + nonce, signedAt);
        }
    }
}
