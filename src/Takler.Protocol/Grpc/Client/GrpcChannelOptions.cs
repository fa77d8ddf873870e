namespace Takler.Protocol.Grpc.Client;

/// <summary>Settings of a <see cref="GrpcChannel"/>.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>
    /// The HTTP handler that carries the calls. The default value is null: the channel makes a
    /// <see cref="System.Net.Http.SocketsHttpHandler"/> that speaks HTTP/2 with prior knowledge.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Whether disposing the channel disposes <see cref="HttpHandler"/>. The default value is false.</summary>
    public bool DisposeHttpHandler { get; set; }

    /// <summary>The largest response message accepted, in bytes. The default value is 4 MiB, gRPC's own default.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>The largest request message sent, in bytes; null for no limit. The default value is null.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// How long the default handler waits for a TCP connection. The default value is 20 seconds
    /// (gRPC's minimum connect timeout); a call's deadline, when shorter, wins.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The clock that turns deadlines into timeouts. The default value is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
