using Takler.Client.Retry;
using Takler.Protocol.Grpc.Client;

namespace Takler.Client;

/// <summary>Settings of a <see cref="TaklerServiceClient"/>. Every default is what Takler's client does.</summary>
public sealed class TaklerClientOptions
{
    /// <summary>Retry windows, backoff and per-attempt deadline. The default value is Takler's contract (§4.5).</summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>The clock for deadlines, the retry window and ping times. The default value is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Waits between attempts. The default value is null: <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/>
    /// on <see cref="TimeProvider"/>. Tests pass a function that advances a fake clock instead of sleeping.
    /// </summary>
    public Func<TimeSpan, CancellationToken, Task>? Delay { get; set; }

    /// <summary>
    /// Receives WARNING log lines (retries, an invalid <c>TAKLER_TIMEOUT</c>), already formatted as
    /// <c>&lt;timestamp&gt; WARNING client &lt;message&gt;</c>. The default value is null: they go to standard error.
    /// </summary>
    public Action<string>? Log { get; set; }

    /// <summary>Reads environment variables (<c>TAKLER_TIMEOUT</c>). The default value is null: the process environment.</summary>
    public Func<string, string?>? Environment { get; set; }

    /// <summary>
    /// Who the client is to a server with users (sent with every call). The default value is null: read from
    /// TAKLER_USER, TAKLER_TOKEN and TAKLER_KEY (through <see cref="Environment"/>); none when those are unset.
    /// </summary>
    public TaklerCredentials? Credentials { get; set; }

    /// <summary>
    /// Makes the call invoker for an address. The default value is null: an HTTP/2 cleartext channel
    /// (<see cref="GrpcChannel.ForHost"/>). Tests pass scripted invokers.
    /// </summary>
    public Func<ServerAddress, CallInvoker>? CallInvokerFactory { get; set; }
}
