using Microsoft.Extensions.Logging;

namespace Takler.Protocol.Grpc.Server;

/// <summary>Log messages of the server side.</summary>
internal static partial class GrpcServerLog
{
    [LoggerMessage(1, LogLevel.Error, "gRPC method {Method} failed with an unhandled exception")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(2, LogLevel.Debug, "gRPC request to {Path} refused: {Status} {Detail}")]
    public static partial void RequestRefused(ILogger logger, string path, StatusCode status, string detail);

    [LoggerMessage(3, LogLevel.Debug, "gRPC call {Method} ended with {Status}: {Detail}")]
    public static partial void CallFailed(ILogger logger, string method, StatusCode status, string detail);
}
