using System.Collections.Frozen;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Takler.Protocol.Grpc.Server;

/// <summary>
/// Maps <c>/service/method</c> paths to handlers and runs gRPC calls over an ASP.NET Core
/// <see cref="HttpContext"/> (Kestrel, HTTP/2). <see cref="HandleAsync"/> is a request delegate:
/// host it with <see cref="GrpcServerHost"/> or in any ASP.NET Core pipeline.
/// </summary>
public sealed class GrpcRouter
{
    private readonly Lock _gate = new();
    private FrozenDictionary<string, ServerMethodHandler> _handlers = FrozenDictionary<string, ServerMethodHandler>.Empty;

    /// <summary>Creates a router with the given options, or the defaults.</summary>
    public GrpcRouter(GrpcServerOptions? options = null) => Options = options ?? new GrpcServerOptions();

    /// <summary>The limits and behaviour of every call.</summary>
    public GrpcServerOptions Options { get; }

    /// <summary>The paths of the mapped methods.</summary>
    public IReadOnlyCollection<string> Methods => Volatile.Read(ref _handlers).Keys;

    /// <summary>Maps a unary method to its handler.</summary>
    public void MapUnary<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method,
        Func<TRequest, ServerCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        CheckType(method.Type, MethodType.Unary, method.FullName);
        Add(new UnaryServerMethodHandler<TRequest, TResponse>(method, handler));
    }

    /// <summary>Maps a server-streaming method to its handler, which writes any number of messages.</summary>
    public void MapServerStreaming<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method,
        Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        CheckType(method.Type, MethodType.ServerStreaming, method.FullName);
        Add(new ServerStreamingMethodHandler<TRequest, TResponse>(method, handler));
    }

    /// <summary>
    /// Serves one HTTP request as a gRPC call. Never throws for a bad request: every refusal is
    /// an HTTP or gRPC status, so the server keeps serving.
    /// </summary>
    public Task HandleAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var request = httpContext.Request;
        var response = httpContext.Response;
        var path = request.Path.Value ?? string.Empty;

        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            // Trailers need HTTP/2; ASP.NET Core's gRPC answers 426 here too.
            return RefuseHttp(httpContext, StatusCodes.Status426UpgradeRequired, $"Request protocol '{request.Protocol}' is not supported: gRPC needs HTTP/2.");
        }

        // Requests: Method -> ":method POST"
        if (!HttpMethods.IsPost(request.Method))
        {
            response.Headers.Allow = HttpMethods.Post;
            return RefuseHttp(httpContext, StatusCodes.Status405MethodNotAllowed, $"Request method '{request.Method}' is not supported: gRPC needs POST.");
        }

        // "If Content-Type does not begin with "application/grpc", gRPC servers SHOULD respond
        // with HTTP status of 415". Of the subtypes, only protobuf is served here.
        if (!GrpcProtocol.IsSupportedContentType(request.ContentType))
        {
            return RefuseHttp(httpContext, StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{request.ContentType}' is not supported.");
        }

        // TE -> "te" "trailers"  # Used to detect incompatible proxies
        if (Options.RequireTeTrailers && !HasTeTrailers(request))
        {
            return Refuse(httpContext, StatusCode.Internal, "The request has no 'te: trailers' header.");
        }

        if (!Volatile.Read(ref _handlers).TryGetValue(path, out var handler))
        {
            return Refuse(httpContext, StatusCode.Unimplemented, $"Method not found: {path}");
        }

        // Message-Encoding: compression is not supported; the spec's compression doc asks for
        // UNIMPLEMENTED with the encodings the server accepts.
        var encoding = request.Headers[GrpcProtocol.EncodingHeader].ToString();
        if (encoding.Length > 0 && !encoding.Equals(GrpcProtocol.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
        {
            response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.IdentityEncoding;
            return Refuse(httpContext, StatusCode.Unimplemented, $"Message encoding '{encoding}' is not supported; this server accepts: identity.");
        }

        // "If Timeout is omitted a server should assume an infinite timeout."
        TimeSpan? timeout = null;
        var timeoutText = request.Headers[GrpcProtocol.TimeoutHeader].ToString();
        if (timeoutText.Length > 0)
        {
            if (!GrpcTimeout.TryParse(timeoutText, out var parsed))
            {
                return Refuse(httpContext, StatusCode.Internal, $"Malformed grpc-timeout header: '{timeoutText}'.");
            }

            timeout = parsed;
        }

        ConfigureLimits(httpContext, handler.Type);
        return InvokeAsync(httpContext, handler, timeout);
    }

    private async Task InvokeAsync(HttpContext httpContext, ServerMethodHandler handler, TimeSpan? timeout)
    {
        var call = new GrpcServerCall(httpContext, Options, handler.FullName, timeout);
        try
        {
            await handler.InvokeAsync(call).ConfigureAwait(false);
            await call.CompleteAsync(StatusCode.OK, detail: null, trailers: null).ConfigureAwait(false);
        }
        catch (Exception) when (call.ClientAborted)
        {
            // The client reset the stream: nothing can reach it any more.
            await call.CompleteAsync(StatusCode.Cancelled, detail: null, trailers: null).ConfigureAwait(false);
        }
        catch (Exception) when (call.DeadlineExpired)
        {
            await Fail(call, handler.FullName, StatusCode.DeadlineExceeded, "Deadline Exceeded", trailers: null).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            await Fail(call, handler.FullName, ex.StatusCode, ex.Detail, ex.Trailers).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            GrpcServerLog.HandlerFailed(Options.Logger, handler.FullName, ex);
            var detail = Options.EnableDetailedErrors
                ? $"Exception was thrown by handler. {ex.GetType().Name}: {ex.Message}"
                : "Exception was thrown by handler.";
            await Fail(call, handler.FullName, StatusCode.Unknown, detail, trailers: null).ConfigureAwait(false);
        }
        finally
        {
            call.ReleaseWhenHandlerDone();
        }
    }

    private Task Fail(GrpcServerCall call, string method, StatusCode status, string detail, Metadata? trailers)
    {
        GrpcServerLog.CallFailed(Options.Logger, method, status, detail);
        return call.CompleteAsync(status, detail, trailers);
    }

    private Task Refuse(HttpContext httpContext, StatusCode status, string detail)
    {
        GrpcServerLog.RequestRefused(Options.Logger, httpContext.Request.Path.Value ?? string.Empty, status, detail);
        GrpcServerCall.WriteTrailersOnly(httpContext.Response, status, detail);
        return Task.CompletedTask;
    }

    private Task RefuseHttp(HttpContext httpContext, int httpStatus, string detail)
    {
        GrpcServerLog.RequestRefused(Options.Logger, httpContext.Request.Path.Value ?? string.Empty, StatusCode.Internal, detail);
        var response = httpContext.Response;
        response.StatusCode = httpStatus;

        // Not a gRPC response, but a gRPC client that looks can still tell what went wrong.
        response.Headers[GrpcProtocol.StatusHeader] = GrpcServerCall.StatusText(StatusCode.Internal);
        response.Headers[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(detail);
        return Task.CompletedTask;
    }

    private static bool HasTeTrailers(HttpRequest request)
    {
        foreach (var value in request.Headers.TE)
        {
            foreach (var part in (value ?? string.Empty).Split(','))
            {
                if (part.Trim().Equals(GrpcProtocol.TeTrailers, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void ConfigureLimits(HttpContext httpContext, MethodType type)
    {
        // Messages are limited one by one (MaxReceiveMessageSize), not by Kestrel's body limit.
        if (httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        if (type != MethodType.Unary)
        {
            // A stream may be idle for long (a later "wait"): no minimum data rates.
            if (httpContext.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } requestRate)
            {
                requestRate.MinDataRate = null;
            }

            if (httpContext.Features.Get<IHttpMinResponseDataRateFeature>() is { } responseRate)
            {
                responseRate.MinDataRate = null;
            }
        }
    }

    private static void CheckType(MethodType actual, MethodType expected, string fullName)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"Method {fullName} is {actual}, not {expected}.", "method");
        }
    }

    private void Add(ServerMethodHandler handler)
    {
        lock (_gate)
        {
            if (_handlers.ContainsKey(handler.FullName))
            {
                throw new InvalidOperationException($"Method {handler.FullName} is already mapped.");
            }

            var copy = new Dictionary<string, ServerMethodHandler>(_handlers, StringComparer.Ordinal)
            {
                [handler.FullName] = handler,
            };
            Volatile.Write(ref _handlers, copy.ToFrozenDictionary(StringComparer.Ordinal));
        }
    }
}
