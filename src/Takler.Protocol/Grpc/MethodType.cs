namespace Takler.Protocol.Grpc;

/// <summary>The call shapes this gRPC layer carries.</summary>
public enum MethodType
{
    /// <summary>One request message, one response message.</summary>
    Unary = 0,

    /// <summary>One request message, a stream of response messages.</summary>
    ServerStreaming = 1,
}
