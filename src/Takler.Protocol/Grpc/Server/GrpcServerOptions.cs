using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Takler.Protocol.Grpc.Server;

/// <summary>Limits and behaviour of a <see cref="GrpcRouter"/>.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>The largest request message accepted, in bytes. The default value is 4 MiB, gRPC's own default.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>
    /// Methods allowed larger requests than <see cref="MaxReceiveMessageSize"/> (full method path, e.g.
    /// <c>/pkg.Service/Load</c>, to its limit in bytes): the one method that takes whole definitions need not open
    /// every other method to huge messages. The default value is empty.
    /// </summary>
    public IDictionary<string, int> MaxReceiveMessageSizeByMethod { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>The largest request accepted by a method: its own limit, else <see cref="MaxReceiveMessageSize"/>.</summary>
    public int MaxReceiveMessageSizeFor(string method) =>
        MaxReceiveMessageSizeByMethod.TryGetValue(method, out var limit) ? limit : MaxReceiveMessageSize;

    /// <summary>The largest response message sent, in bytes; null for no limit. The default value is null.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Whether a request without <c>te: trailers</c> is refused with INTERNAL. The default value is true.</summary>
    public bool RequireTeTrailers { get; set; } = true;

    /// <summary>
    /// Whether the type and message of an exception thrown by a handler go to the client in
    /// <c>grpc-message</c>. The default value is false: the client sees only UNKNOWN.
    /// </summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>The clock for deadlines. The default value is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Runs after the request message is read and before the handler, with the call and the request: it may set
    /// <see cref="ServerCallContext.User"/>, and refuses the call by throwing <see cref="RpcException"/> (e.g.
    /// UNAUTHENTICATED). The default value is null: every call reaches its handler.
    /// </summary>
    public Func<ServerCallContext, Google.Protobuf.IMessage, ValueTask>? Authorize { get; set; }

    /// <summary>Where handler failures and refused requests are logged. The default value is a null logger.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;
}
