namespace Takler.Protocol.Grpc;

/// <summary>Header names, values and defaults of the gRPC over HTTP/2 protocol (PROTOCOL-HTTP2.md).</summary>
public static class GrpcProtocol
{
    /// <summary>The content type we send; <c>application/grpc+proto</c> is accepted too.</summary>
    public const string ContentType = "application/grpc";

    /// <summary>The explicit protobuf form of <see cref="ContentType"/>.</summary>
    public const string ProtoContentType = "application/grpc+proto";

    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string TeHeader = "te";

    /// <summary>The only <c>te</c> value gRPC uses ("Used to detect incompatible proxies").</summary>
    public const string TeTrailers = "trailers";

    /// <summary>The only message encoding supported here: no compression.</summary>
    public const string IdentityEncoding = "identity";

    /// <summary>Suffix of binary metadata keys, whose values travel base64-encoded.</summary>
    public const string BinaryHeaderSuffix = "-bin";

    /// <summary>gRPC's default receive limit: 4 MiB.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>
    /// True for <c>application/grpc</c> and <c>application/grpc+proto</c>, ignoring case and
    /// parameters. Other subtypes (<c>+json</c>, custom) are not supported here.
    /// </summary>
    public static bool IsSupportedContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var span = contentType.AsSpan();
        var semicolon = span.IndexOf(';');
        if (semicolon >= 0)
        {
            span = span[..semicolon];
        }

        span = span.Trim();
        return span.Equals(ContentType, StringComparison.OrdinalIgnoreCase)
            || span.Equals(ProtoContentType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when the content type begins with <c>application/grpc</c> (any subtype).</summary>
    public static bool IsGrpcContentType(string? contentType) =>
        contentType is not null && contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase);
}
