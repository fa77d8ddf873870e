using Google.Protobuf;

namespace Takler.Protocol.Grpc.Server;

/// <summary>The response stream handed to a server-streaming handler.</summary>
internal sealed class ServerStreamWriter<T> : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    private readonly GrpcServerCall _call;

    public ServerStreamWriter(GrpcServerCall call) => _call = call;

    public Task WriteAsync(T message, CancellationToken cancellationToken = default) =>
        _call.WriteMessageAsync(message, cancellationToken);
}
