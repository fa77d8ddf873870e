using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Takler.Protocol.Grpc.Server;

/// <summary>
/// The server side of one call: its deadline, its cancellation, and the writing of response
/// messages and the final status. Writes and the status are serialised by one lock, and nothing
/// touches the HttpContext after the status is written.
/// </summary>
internal sealed class GrpcServerCall
{
    // CancellationTokenSource timers take at most uint.MaxValue - 1 milliseconds (~49 days);
    // a longer grpc-timeout is treated as no deadline.
    private static readonly TimeSpan MaxTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly HttpContext _httpContext;
    private readonly GrpcServerOptions _options;
    private readonly CancellationTokenSource? _deadlineCts;
    private readonly CancellationTokenSource? _callCts;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private Task? _handlerTask;
    private bool _completed;
    private bool _headersWritten;

    public GrpcServerCall(HttpContext httpContext, GrpcServerOptions options, string method, TimeSpan? timeout)
    {
        _httpContext = httpContext;
        _options = options;
        var deadline = DateTimeOffset.MaxValue;
        if (timeout is { } t)
        {
            // PROTOCOL-HTTP2.md, Client Cancellation: "gRPC servers track the deadline of the RPC
            // as communicated by Timeout" and cancel the call locally when it passes.
            var now = options.TimeProvider.GetUtcNow();
            deadline = t < DateTimeOffset.MaxValue - now ? now + t : DateTimeOffset.MaxValue;
            if (t <= MaxTimer)
            {
                _deadlineCts = new CancellationTokenSource(t, options.TimeProvider);
            }
        }

        // Without a deadline the call ends only with the request: its token serves as is (no linked source per call).
        _callCts = _deadlineCts is null
            ? null
            : CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, _deadlineCts.Token);

        Context = new ServerCallContext(method, this, deadline, CallToken);
    }

    public ServerCallContext Context { get; }

    public CancellationToken CallToken => _callCts?.Token ?? _httpContext.RequestAborted;

    public bool DeadlineExpired => _deadlineCts?.IsCancellationRequested == true;

    public bool ClientAborted => _httpContext.RequestAborted.IsCancellationRequested;

    /// <summary>Reads the one request message of a unary or server-streaming call, up to the client's end of stream.</summary>
    public async Task<T> ReadSingleRequestAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        var reader = _httpContext.Request.BodyReader;
        var message = await GrpcFrame.ReadMessageAsync(reader, parser, _options.MaxReceiveMessageSizeFor(Context.Method), CallToken)
            .ConfigureAwait(false);
        if (message is null)
        {
            throw new RpcException(StatusCode.Internal, "No request message was received.");
        }

        if (!await GrpcFrame.IsEndOfStreamAsync(reader, CallToken).ConfigureAwait(false))
        {
            throw new RpcException(StatusCode.Internal, "More than one request message was received for a method that takes one.");
        }

        return message;
    }

    /// <summary>Runs the router's authorization hook, if any; it refuses the call by throwing <see cref="RpcException"/>.</summary>
    public ValueTask AuthorizeAsync(IMessage request) =>
        _options.Authorize is { } authorize ? authorize(Context, request) : ValueTask.CompletedTask;

    /// <summary>Starts the handler and waits for it, or for the call's cancellation, whichever is first.</summary>
    public Task<TResponse> RunHandlerAsync<TRequest, TResponse>(Func<TRequest, ServerCallContext, Task<TResponse>> handler, TRequest request)
    {
        Task<TResponse> task;
        try
        {
            task = handler(request, Context);
        }
        catch (Exception ex)
        {
            task = Task.FromException<TResponse>(ex);
        }

        _handlerTask = task;
        return task.WaitAsync(CallToken);
    }

    /// <inheritdoc cref="RunHandlerAsync{TRequest, TResponse}(Func{TRequest, ServerCallContext, Task{TResponse}}, TRequest)"/>
    public async Task RunHandlerAsync(Func<Task> start)
    {
        Task task;
        try
        {
            task = start();
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }

        _handlerTask = task;
        await task.WaitAsync(CallToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends one response message: Response-Headers first if not yet sent, then the frame, flushed at once (streaming).
    /// </summary>
    public async Task WriteMessageAsync(IMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var linked = cancellationToken.CanBeCanceled && cancellationToken != CallToken
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, CallToken)
            : null;
        var token = linked?.Token ?? CallToken;
        await _writeLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            WriteFrame(message);
            await _httpContext.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Buffers the one response of a unary call: it leaves with the trailers in one write when the call ends (one
    /// packet and one wake-up of the client instead of two). Nothing else writes during a unary call, so this never
    /// waits.
    /// </summary>
    public void WriteUnaryResponse(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _writeLock.Wait(CallToken);
        try
        {
            WriteFrame(message);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Ends the call with a status: in Trailers after messages, or as Trailers-Only when nothing
    /// was sent. Later writes fail. Sends nothing when the client has gone.
    /// </summary>
    public Task CompleteAsync(StatusCode status, string? detail, Metadata? trailers)
    {
        if (!_writeLock.Wait(0))
        {
            return CompleteAfterWritesAsync(status, detail, trailers);
        }

        try
        {
            WriteStatus(status, detail, trailers);
        }
        finally
        {
            _writeLock.Release();
        }

        return Task.CompletedTask;
    }

    private async Task CompleteAfterWritesAsync(StatusCode status, string? detail, Metadata? trailers)
    {
        await _writeLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            WriteStatus(status, detail, trailers);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // Under the write lock.
    private void WriteFrame(IMessage message)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The call is complete; no more messages can be written.");
        }

        var size = message.CalculateSize();
        if (_options.MaxSendMessageSize is { } max && size > max)
        {
            throw new RpcException(
                StatusCode.ResourceExhausted,
                string.Create(CultureInfo.InvariantCulture, $"Sending message larger than max ({size} vs. {max})"));
        }

        var response = _httpContext.Response;
        if (!_headersWritten)
        {
            // Response-Headers -> HTTP-Status [Message-Encoding] [Message-Accept-Encoding] Content-Type
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = GrpcProtocol.ContentType;
            response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.IdentityEncoding;
            _headersWritten = true;
        }

        GrpcFrame.Write(response.BodyWriter, message, size);
    }

    // Under the write lock.
    private void WriteStatus(StatusCode status, string? detail, Metadata? trailers)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (ClientAborted)
        {
            return;
        }

        var response = _httpContext.Response;
        if (_headersWritten || response.HasStarted)
        {
            // Trailers -> Status [Status-Message] *Custom-Metadata
            // ("Status must be sent in Trailers even if the status code is OK").
            response.AppendTrailer(GrpcProtocol.StatusHeader, StatusText(status));
            if (!string.IsNullOrEmpty(detail))
            {
                response.AppendTrailer(GrpcProtocol.MessageHeader, PercentEncoding.Encode(detail));
            }

            foreach (var entry in AllTrailers(trailers))
            {
                response.AppendTrailer(entry.Key, entry.Value);
            }
        }
        else
        {
            WriteTrailersOnly(response, status, detail, AllTrailers(trailers));
        }
    }

    /// <summary>Releases the timers once the handler has finished, even if the call ended before it.</summary>
    public void ReleaseWhenHandlerDone()
    {
        Context.Detach();
        if (_handlerTask is null || _handlerTask.IsCompleted)
        {
            Dispose();
            return;
        }

        // The call ended first (deadline or client gone): the handler still holds the token.
        _handlerTask.ContinueWith(
            static (task, state) =>
            {
                _ = task.Exception; // observed: the call's outcome was already decided
                ((GrpcServerCall)state!).Dispose();
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Trailers-Only -> HTTP-Status Content-Type Trailers, all in one HEADERS frame with
    /// END_STREAM: permitted "for calls that produce an immediate error".
    /// </summary>
    public static void WriteTrailersOnly(HttpResponse response, StatusCode status, string? detail, IEnumerable<MetadataEntry>? trailers = null)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.StatusHeader] = StatusText(status);
        if (!string.IsNullOrEmpty(detail))
        {
            response.Headers[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(detail);
        }

        foreach (var entry in trailers ?? [])
        {
            response.Headers.Append(entry.Key, entry.Value);
        }
    }

    /// <summary>Status -> "grpc-status" 1*DIGIT, decimal without leading zeros.</summary>
    public static string StatusText(StatusCode status) => ((int)status).ToString(CultureInfo.InvariantCulture);

    private IEnumerable<MetadataEntry> AllTrailers(Metadata? extra) =>
        Context.HasResponseTrailers || extra is { Count: > 0 } ? ValidTrailers(extra) : [];

    private IEnumerable<MetadataEntry> ValidTrailers(Metadata? extra)
    {
        // Entries echoed from the wire are not validated; never hand Kestrel a value it rejects.
        foreach (var entry in Context.ResponseTrailers.Concat(extra ?? []))
        {
            if (entry.IsBinary || MetadataEntry.IsAsciiValue(entry.Value))
            {
                yield return entry;
            }
        }
    }

    private void Dispose()
    {
        _callCts?.Dispose();
        _deadlineCts?.Dispose();
    }

    /// <summary>The <c>:authority</c> of the request (for <see cref="ServerCallContext.Host"/>).</summary>
    internal string ReadHost() => _httpContext.Request.Host.Value ?? string.Empty;

    /// <summary>The client's address in gRPC's peer form (for <see cref="ServerCallContext.Peer"/>).</summary>
    internal string ReadPeer() => FormatPeer(_httpContext.Connection.RemoteIpAddress, _httpContext.Connection.RemotePort);

    /// <summary>The client's address and port, unformatted.</summary>
    internal (IPAddress? Address, int Port) PeerAddress() => (_httpContext.Connection.RemoteIpAddress, _httpContext.Connection.RemotePort);

    /// <summary>The first value of one ASCII request header that is Custom-Metadata, or null.</summary>
    internal string? ReadRequestHeader(string key)
    {
        if (IsProtocolHeader(key) || !_httpContext.Request.Headers.TryGetValue(key, out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            if (value is not null)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Every Custom-Metadata entry of the request (for <see cref="ServerCallContext.RequestHeaders"/>).</summary>
    internal Metadata ReadRequestMetadata()
    {
        var metadata = new Metadata();
        foreach (var (key, values) in _httpContext.Request.Headers)
        {
            if (IsProtocolHeader(key))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value is not null && MetadataEntry.FromWire(key, value) is { } entry)
                {
                    metadata.Add(entry);
                }
            }
        }

        return metadata;
    }

    // Call-Definition headers and HTTP's own are not Custom-Metadata; "grpc-" names are reserved.
    private static bool IsProtocolHeader(string key) =>
        key.StartsWith(':')
        || key.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase)
        || key.Equals("content-type", StringComparison.OrdinalIgnoreCase)
        || key.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || key.Equals("te", StringComparison.OrdinalIgnoreCase)
        || key.Equals("host", StringComparison.OrdinalIgnoreCase)
        || key.Equals("connection", StringComparison.OrdinalIgnoreCase);

    internal static string FormatPeer(IPAddress? address, int port)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"ipv6:[{address}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"ipv4:{address}:{port}");
    }
}
