namespace Takler.Protocol.Grpc.Server;

/// <summary>What a server handler knows about its call: metadata, peer, deadline and cancellation.</summary>
public sealed class ServerCallContext
{
    /// <summary>Creates a context; the router makes one per call, tests may make their own.</summary>
    public ServerCallContext(
        string method,
        string host,
        string peer,
        Metadata requestHeaders,
        DateTimeOffset deadline,
        CancellationToken cancellationToken)
    {
        Method = method;
        Host = host;
        Peer = peer;
        RequestHeaders = requestHeaders;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>The method's path, e.g. <c>/takler_protocol.TaklerServer/RunRequestPing</c>.</summary>
    public string Method { get; }

    /// <summary>The <c>:authority</c> the client called.</summary>
    public string Host { get; }

    /// <summary>The client's address, e.g. <c>ipv4:127.0.0.1:50412</c> or <c>ipv6:[::1]:50412</c>.</summary>
    public string Peer { get; }

    /// <summary>Custom metadata sent by the client (e.g. <c>takler-pass</c>), without the protocol's own headers.</summary>
    public Metadata RequestHeaders { get; }

    /// <summary>Custom metadata to send in the trailers, beside <c>grpc-status</c>.</summary>
    public Metadata ResponseTrailers { get; } = [];

    /// <summary>When the client's <c>grpc-timeout</c> runs out; <see cref="DateTimeOffset.MaxValue"/> when it sent none.</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>The user the server's <see cref="GrpcServerOptions.Authorize"/> hook authenticated; null when none did.</summary>
    public string? User { get; set; }

    /// <summary>Cancelled when the deadline passes or the client cancels the call.</summary>
    public CancellationToken CancellationToken { get; }
}
