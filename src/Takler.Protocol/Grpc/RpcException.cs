namespace Takler.Protocol.Grpc;

/// <summary>
/// A call that ended with a non-OK gRPC status. Thrown by the client for a failed call, and
/// thrown by a server handler to answer with that status.
/// </summary>
public sealed class RpcException : Exception
{
    /// <summary>Creates an exception with the status and its detail message.</summary>
    public RpcException(StatusCode statusCode, string detail)
        : this(statusCode, detail, trailers: null, innerException: null)
    {
    }

    /// <summary>Creates an exception with the status, detail, trailing metadata and cause.</summary>
    public RpcException(StatusCode statusCode, string detail, Metadata? trailers, Exception? innerException = null)
        : base(FormatMessage(statusCode, detail), innerException)
    {
        StatusCode = statusCode;
        Detail = detail ?? string.Empty;
        Trailers = trailers ?? [];
    }

    /// <summary>The gRPC status code.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The status message (the decoded <c>grpc-message</c>); empty when none was sent.</summary>
    public string Detail { get; }

    /// <summary>Custom trailing metadata of the call; empty when none.</summary>
    public Metadata Trailers { get; }

    private static string FormatMessage(StatusCode statusCode, string? detail) =>
        $"Status(StatusCode=\"{statusCode.ToCanonicalName()}\", Detail=\"{detail}\")";
}
