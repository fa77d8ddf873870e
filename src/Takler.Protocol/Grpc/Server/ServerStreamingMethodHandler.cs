using Google.Protobuf;

namespace Takler.Protocol.Grpc.Server;

/// <summary>A server-streaming method: one request in, any number of responses out.</summary>
internal sealed class ServerStreamingMethodHandler<TRequest, TResponse> : ServerMethodHandler
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly GrpcMethod<TRequest, TResponse> _method;
    private readonly Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> _handler;

    public ServerStreamingMethodHandler(
        GrpcMethod<TRequest, TResponse> method,
        Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        : base(method.FullName, MethodType.ServerStreaming)
    {
        _method = method;
        _handler = handler;
    }

    public override async Task InvokeAsync(GrpcServerCall call)
    {
        var request = await call.ReadSingleRequestAsync(_method.RequestParser).ConfigureAwait(false);
        await call.AuthorizeAsync(request).ConfigureAwait(false);
        var writer = new ServerStreamWriter<TResponse>(call);
        await call.RunHandlerAsync(() => _handler(request, writer, call.Context)).ConfigureAwait(false);
    }
}
