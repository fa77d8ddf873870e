using Google.Protobuf;

namespace Takler.Protocol.Grpc.Server;

/// <summary>A unary method: one request in, one response out.</summary>
internal sealed class UnaryServerMethodHandler<TRequest, TResponse> : ServerMethodHandler
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly GrpcMethod<TRequest, TResponse> _method;
    private readonly Func<TRequest, ServerCallContext, Task<TResponse>> _handler;

    public UnaryServerMethodHandler(GrpcMethod<TRequest, TResponse> method, Func<TRequest, ServerCallContext, Task<TResponse>> handler)
        : base(method.FullName, MethodType.Unary)
    {
        _method = method;
        _handler = handler;
    }

    public override async Task InvokeAsync(GrpcServerCall call)
    {
        var request = await call.ReadSingleRequestAsync(_method.RequestParser).ConfigureAwait(false);
        await call.AuthorizeAsync(request).ConfigureAwait(false);
        var response = await call.RunHandlerAsync(_handler, request).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The handler of {_method.FullName} returned no response.");
        call.WriteUnaryResponse(response);
    }
}
