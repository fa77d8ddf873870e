using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace Takler.Protocol.Grpc.Client;

/// <summary>
/// Carries calls as HTTP/2 requests through the channel's <see cref="HttpMessageInvoker"/>
/// (PROTOCOL-HTTP2.md): POST, <c>te: trailers</c>, <c>grpc-timeout</c>, one length-prefixed
/// request message; reads the response messages, then the status from the trailers.
/// </summary>
internal sealed class HttpCallInvoker : CallInvoker
{
    // User-Agent -> "grpc-" Language ?("-" Variant) "/" Version
    private const string UserAgent = "grpc-csharp-takler/1.0";

    private readonly GrpcChannel _channel;

    public HttpCallInvoker(GrpcChannel channel) => _channel = channel;

    public override async Task<TResponse> UnaryAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method,
        TRequest request,
        Metadata? headers = null,
        DateTimeOffset? deadline = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        using var scope = ClientCallScope.Start(_channel.TimeProvider, deadline, cancellationToken);
        try
        {
            using var httpRequest = CreateRequest(method.FullName, request, headers, scope.Timeout);
            using var response = await _channel.HttpInvoker.SendAsync(httpRequest, scope.Token).ConfigureAwait(false);
            if (!CheckResponseHeaders(response))
            {
                // Trailers-Only with OK: a unary call needs its message.
                throw new RpcException(StatusCode.Internal, "No response message was received for a unary call.");
            }

            var stream = await response.Content.ReadAsStreamAsync(scope.Token).ConfigureAwait(false);
            var (message, endOfStream) = await GrpcFrame.ReadSingleMessageAsync(stream, method.ResponseParser, _channel.MaxReceiveMessageSize, scope.Token)
                .ConfigureAwait(false);
            if (message is null)
            {
                ThrowIfNotOk(ReadTrailers(response));
                throw new RpcException(StatusCode.Internal, "No response message was received for a unary call.");
            }

            if (!endOfStream)
            {
                throw new RpcException(StatusCode.Internal, "More than one response message was received for a unary call.");
            }

            ThrowIfNotOk(ReadTrailers(response));
            return message;
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw MapException(ex, scope);
        }
    }

    public override async IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method,
        TRequest request,
        Metadata? headers = null,
        DateTimeOffset? deadline = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        using var scope = ClientCallScope.Start(_channel.TimeProvider, deadline, cancellationToken);
        using var httpRequest = CreateRequest(method.FullName, request, headers, scope.Timeout);
        using var response = await Guard(_channel.HttpInvoker.SendAsync(httpRequest, scope.Token), scope).ConfigureAwait(false);
        var reader = await Guard(OpenResponseAsync(response, scope.Token), scope).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var message = await Guard(
                    GrpcFrame.ReadMessageAsync(reader, method.ResponseParser, _channel.MaxReceiveMessageSize, scope.Token).AsTask(),
                    scope).ConfigureAwait(false);
                if (message is null)
                {
                    break;
                }

                yield return message;
            }
        }
        finally
        {
            // Leaving early disposes the response, which resets the stream (CANCEL).
            await reader.CompleteAsync().ConfigureAwait(false);
        }

        ThrowIfNotOk(ReadTrailers(response));
    }

    private HttpRequestMessage CreateRequest(string fullName, IMessage message, Metadata? headers, TimeSpan? timeout)
    {
        var size = message.CalculateSize();
        if (_channel.MaxSendMessageSize is { } max && size > max)
        {
            throw new RpcException(
                StatusCode.ResourceExhausted,
                string.Create(CultureInfo.InvariantCulture, $"Sending message larger than max ({size} vs. {max})"));
        }

        var content = new GrpcMessageContent(message, size);
        var request = new HttpRequestMessage(HttpMethod.Post, _channel.GetMethodUri(fullName))
        {
            // h2c with prior knowledge: never fall back to HTTP/1.1 or try an upgrade.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };

        // Call-Definition -> Method Scheme Path TE [Authority] [Timeout] Content-Type ... [User-Agent]
        var requestHeaders = request.Headers;
        requestHeaders.TryAddWithoutValidation(GrpcProtocol.TeHeader, GrpcProtocol.TeTrailers);
        if (timeout is { } t)
        {
            requestHeaders.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(t));
        }

        requestHeaders.TryAddWithoutValidation("user-agent", UserAgent);
        foreach (var entry in headers ?? [])
        {
            // Binary-Header values are base64; "should emit un-padded values".
            requestHeaders.TryAddWithoutValidation(entry.Key, entry.Value);
        }

        return request;
    }

    /// <summary>Checks Response-Headers; returns the body reader, or throws the status of a Trailers-Only response.</summary>
    private static async Task<PipeReader> OpenResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!CheckResponseHeaders(response))
        {
            return PipeReader.Create(Stream.Null);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return PipeReader.Create(stream);
    }

    /// <summary>
    /// Checks Response-Headers: throws for a refusal (HTTP status, content-type, a Trailers-Only status other than OK);
    /// false for a Trailers-Only OK, which has no body.
    /// </summary>
    private static bool CheckResponseHeaders(HttpResponseMessage response)
    {
        var headerStatus = ReadStatus(response.Headers);

        // "Implementations should expect broken deployments to send non-200 HTTP status codes
        // ... Implementations must synthesize a Status & Status-Message" (http-grpc-status-mapping.md).
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var detail = string.Create(CultureInfo.InvariantCulture, $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}");
            if (headerStatus is { Detail.Length: > 0 })
            {
                detail += ". " + headerStatus.Detail;
            }

            throw new RpcException(MapHttpStatus(response.StatusCode), detail);
        }

        var contentType = response.Content.Headers.NonValidated.TryGetValues("content-type", out var values) ? First(values) : null;
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            throw new RpcException(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: '{contentType}'.");
        }

        if (headerStatus is not null)
        {
            // Trailers-Only: the status is in the headers and there is no body.
            ThrowIfNotOk(headerStatus);
            return false;
        }

        return true;
    }

    private static CallStatus ReadTrailers(HttpResponseMessage response) =>
        ReadStatus(response.Headers) // Trailers-Only with OK
        ?? ReadStatus(response.TrailingHeaders)
        ?? new CallStatus(StatusCode.Internal, "The response ended without a grpc-status.", []);

    /// <summary>Status, Status-Message and Custom-Metadata from a header block, or null without grpc-status.</summary>
    private static CallStatus? ReadStatus(HttpHeaders headers)
    {
        var all = headers.NonValidated;
        if (!all.TryGetValues(GrpcProtocol.StatusHeader, out var statusValues))
        {
            return null;
        }

        var statusText = First(statusValues);
        StatusCode code;
        string detail;
        if (int.TryParse(statusText, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            code = number is >= 0 and <= 16 ? (StatusCode)number : StatusCode.Unknown;
            detail = all.TryGetValues(GrpcProtocol.MessageHeader, out var messageValues)
                ? PercentEncoding.Decode(First(messageValues))
                : string.Empty;
        }
        else
        {
            code = StatusCode.Internal;
            detail = $"Malformed grpc-status: '{statusText}'.";
        }

        if (code == StatusCode.OK)
        {
            // Only a failure carries its trailers (in the RpcException): an OK call needs none of them.
            return CallStatus.Ok;
        }

        var trailers = new Metadata();
        foreach (var (key, values) in all)
        {
            if (key.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase)
                || key.Equals("content-type", StringComparison.OrdinalIgnoreCase)
                || key.Equals("content-length", StringComparison.OrdinalIgnoreCase)
                || key.Equals("date", StringComparison.OrdinalIgnoreCase)
                || key.Equals("server", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (MetadataEntry.FromWire(key, value) is { } entry)
                {
                    trailers.Add(entry);
                }
            }
        }

        return new CallStatus(code, detail, trailers);
    }

    private static string First(HeaderStringValues values)
    {
        foreach (var value in values)
        {
            return value;
        }

        return string.Empty;
    }

    private static void ThrowIfNotOk(CallStatus status)
    {
        if (status.Code != StatusCode.OK)
        {
            throw new RpcException(status.Code, status.Detail, status.Trailers);
        }
    }

    private static async Task<T> Guard<T>(Task<T> task, ClientCallScope scope)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw MapException(ex, scope);
        }
    }

    /// <summary>Turns transport failures into gRPC statuses (PROTOCOL-HTTP2.md, Errors).</summary>
    private static Exception MapException(Exception ex, ClientCallScope scope)
    {
        // "Client implementations are entitled to fail calls with DEADLINE_EXCEEDED at any
        // point after the deadline expires."
        if (scope.DeadlineExpired)
        {
            return new RpcException(StatusCode.DeadlineExceeded, "Deadline Exceeded", trailers: null, ex);
        }

        if (scope.CallerToken.IsCancellationRequested)
        {
            return new OperationCanceledException("The call was cancelled.", ex, scope.CallerToken);
        }

        var protocolError = ex as HttpProtocolException ?? ex.InnerException as HttpProtocolException;
        if (protocolError is not null)
        {
            // RST_STREAM error code -> gRPC code.
            var code = protocolError.ErrorCode switch
            {
                0x7 => StatusCode.Unavailable, // REFUSED_STREAM: nothing was processed
                0x8 => StatusCode.Cancelled, // CANCEL, sent by the server
                0xB => StatusCode.ResourceExhausted, // ENHANCE_YOUR_CALM
                0xC => StatusCode.PermissionDenied, // INADEQUATE_SECURITY
                _ => StatusCode.Internal,
            };
            return new RpcException(code, $"HTTP/2 stream reset with error code {protocolError.ErrorCode}: {protocolError.Message}", trailers: null, ex);
        }

        return ex switch
        {
            HttpRequestException => new RpcException(StatusCode.Unavailable, $"Error connecting to the server: {ex.Message}", trailers: null, ex),
            IOException => new RpcException(StatusCode.Unavailable, $"The connection failed: {ex.Message}", trailers: null, ex),
            OperationCanceledException => new RpcException(StatusCode.Cancelled, "The call was cancelled by the transport.", trailers: null, ex),
            _ => new RpcException(StatusCode.Internal, $"The call failed: {ex.GetType().Name}: {ex.Message}", trailers: null, ex),
        };
    }

    /// <summary>http-grpc-status-mapping.md: HTTP status -> gRPC status when no grpc-status came.</summary>
    private static StatusCode MapHttpStatus(HttpStatusCode status) => (int)status switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    private sealed record CallStatus(StatusCode Code, string Detail, Metadata Trailers)
    {
        public static readonly CallStatus Ok = new(StatusCode.OK, string.Empty, []);
    }
}
