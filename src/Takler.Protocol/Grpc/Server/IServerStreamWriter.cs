namespace Takler.Protocol.Grpc.Server;

/// <summary>Writes the response messages of a server-streaming call.</summary>
public interface IServerStreamWriter<in T>
{
    /// <summary>
    /// Sends one message and waits until the transport has taken it. Writes must not overlap;
    /// writing after the handler has returned throws <see cref="InvalidOperationException"/>.
    /// </summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
