using Google.Protobuf;

namespace Takler.Protocol.Grpc;

/// <summary>Describes one RPC: its shape, its path <c>/service/method</c>, and how to parse its messages.</summary>
public sealed class GrpcMethod<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    /// <summary>Creates a method descriptor.</summary>
    public GrpcMethod(
        MethodType type,
        string serviceName,
        string name,
        MessageParser<TRequest> requestParser,
        MessageParser<TResponse> responseParser)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(requestParser);
        ArgumentNullException.ThrowIfNull(responseParser);
        Type = type;
        ServiceName = serviceName;
        Name = name;
        RequestParser = requestParser;
        ResponseParser = responseParser;

        // PROTOCOL-HTTP2.md, Requests: Path -> ":path" "/" Service-Name "/" {method name}
        FullName = "/" + serviceName + "/" + name;
    }

    /// <summary>Unary or server streaming.</summary>
    public MethodType Type { get; }

    /// <summary>The fully qualified service name, e.g. <c>takler_protocol.TaklerServer</c>.</summary>
    public string ServiceName { get; }

    /// <summary>The method name, e.g. <c>RunRequestPing</c>.</summary>
    public string Name { get; }

    /// <summary>The HTTP/2 <c>:path</c>, e.g. <c>/takler_protocol.TaklerServer/RunRequestPing</c>.</summary>
    public string FullName { get; }

    /// <summary>Parses request messages.</summary>
    public MessageParser<TRequest> RequestParser { get; }

    /// <summary>Parses response messages.</summary>
    public MessageParser<TResponse> ResponseParser { get; }

    /// <inheritdoc />
    public override string ToString() => FullName;
}
