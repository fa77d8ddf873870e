using Microsoft.AspNetCore.Http;

namespace Takler.Protocol.Grpc.Server;

/// <summary>What a server handler knows about its call: metadata, peer, deadline and cancellation.</summary>
public sealed class ServerCallContext
{
    private GrpcServerCall? _call;
    private string? _host;
    private string? _peer;
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;
    private (System.Net.IPAddress? Address, int Port)? _peerSource;

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
        _host = host;
        _peer = peer;
        _requestHeaders = requestHeaders;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>
    /// The router's context: host, peer and metadata are read from the request when first asked for (most calls never
    /// ask), and captured before the request is handed back to Kestrel (<see cref="Detach"/>).
    /// </summary>
    internal ServerCallContext(string method, GrpcServerCall call, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        Method = method;
        _call = call;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>The method's path, e.g. <c>/takler_protocol.TaklerServer/RunRequestPing</c>.</summary>
    public string Method { get; }

    /// <summary>The <c>:authority</c> the client called.</summary>
    public string Host => _host ??= _call?.ReadHost() ?? string.Empty;

    /// <summary>The client's address, e.g. <c>ipv4:127.0.0.1:50412</c> or <c>ipv6:[::1]:50412</c>.</summary>
    public string Peer => _peer ??= _call?.ReadPeer() ?? GrpcServerCall.FormatPeer(_peerSource?.Address, _peerSource?.Port ?? 0);

    /// <summary>Custom metadata sent by the client (e.g. <c>takler-pass</c>), without the protocol's own headers.</summary>
    public Metadata RequestHeaders => _requestHeaders ??= _call?.ReadRequestMetadata() ?? [];

    /// <summary>Custom metadata to send in the trailers, beside <c>grpc-status</c>.</summary>
    public Metadata ResponseTrailers => _responseTrailers ??= [];

    /// <summary>When the client's <c>grpc-timeout</c> runs out; <see cref="DateTimeOffset.MaxValue"/> when it sent none.</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>The user the server's <see cref="GrpcServerOptions.Authorize"/> hook authenticated; null when none did.</summary>
    public string? User { get; set; }

    /// <summary>Cancelled when the deadline passes or the client cancels the call.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>True when a handler added response trailers.</summary>
    internal bool HasResponseTrailers => _responseTrailers is { Count: > 0 };

    /// <summary>
    /// The first value of request header <paramref name="key"/> (case-insensitive), or null: the same answer as
    /// <see cref="RequestHeaders"/>' <see cref="Metadata.GetValue"/>, without collecting every header of the call.
    /// </summary>
    public string? GetRequestHeader(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_requestHeaders is not null || _call is null || key.EndsWith(GrpcProtocol.BinaryHeaderSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return RequestHeaders.GetValue(key);
        }

        return _call.ReadRequestHeader(key);
    }

    /// <summary>
    /// Keeps what is still to be read from the request, which Kestrel reuses for another call once this one has
    /// returned (a handler may keep its context). The peer's address is kept as is and formatted only if asked for.
    /// </summary>
    internal void Detach()
    {
        if (_call is not { } call)
        {
            return;
        }

        _host ??= call.ReadHost();
        _requestHeaders ??= call.ReadRequestMetadata();
        _peerSource = _peer is null ? call.PeerAddress() : null;
        _call = null;
    }
}
