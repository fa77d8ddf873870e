using Google.Protobuf;

namespace Takler.Protocol.Grpc.Client;

/// <summary>
/// Starts calls. A failed call throws <see cref="RpcException"/>; a call cancelled through its
/// token throws <see cref="OperationCanceledException"/>.
/// </summary>
public abstract class CallInvoker
{
    /// <summary>
    /// Sends one request and returns the one response. <paramref name="deadline"/> null means no
    /// deadline; one already past fails with DEADLINE_EXCEEDED without sending.
    /// </summary>
    public abstract Task<TResponse> UnaryAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method,
        TRequest request,
        Metadata? headers = null,
        DateTimeOffset? deadline = null,
        CancellationToken cancellationToken = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>;

    /// <summary>
    /// Sends one request and yields the response messages as they arrive. A non-OK status is
    /// thrown after the last message. Stopping the enumeration early cancels the call.
    /// </summary>
    public abstract IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method,
        TRequest request,
        Metadata? headers = null,
        DateTimeOffset? deadline = null,
        CancellationToken cancellationToken = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>;
}
