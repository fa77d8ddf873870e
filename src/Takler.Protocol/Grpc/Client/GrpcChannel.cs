using System.Globalization;
using System.Net;

namespace Takler.Protocol.Grpc.Client;

/// <summary>
/// A connection to one gRPC server over HTTP/2 (cleartext with prior knowledge for <c>http://</c>).
/// One HTTP/2 connection is shared by all calls, which may run concurrently. Dispose it to close.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly string _baseAddress;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Uri> _methodUris = new(StringComparer.Ordinal);

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        Address = address;
        _baseAddress = address.GetLeftPart(UriPartial.Authority);
        MaxReceiveMessageSize = options.MaxReceiveMessageSize;
        MaxSendMessageSize = options.MaxSendMessageSize;
        TimeProvider = options.TimeProvider;
        var handler = options.HttpHandler ?? CreateDefaultHandler(options.ConnectTimeout);
        HttpInvoker = new HttpMessageInvoker(handler, disposeHandler: options.HttpHandler is null || options.DisposeHttpHandler);
    }

    /// <summary>The server's address, e.g. <c>http://localhost:33083</c>.</summary>
    public Uri Address { get; }

    /// <summary>The largest response message accepted, in bytes.</summary>
    public int MaxReceiveMessageSize { get; }

    /// <summary>The largest request message sent, in bytes; null for no limit.</summary>
    public int? MaxSendMessageSize { get; }

    /// <summary>The clock that turns deadlines into timeouts.</summary>
    public TimeProvider TimeProvider { get; }

    internal HttpMessageInvoker HttpInvoker { get; }

    /// <summary>A channel to <paramref name="address"/>, an absolute <c>http://</c> or <c>https://</c> URI.</summary>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        return ForAddress(new Uri(address, UriKind.Absolute), options);
    }

    /// <inheritdoc cref="ForAddress(string, GrpcChannelOptions?)"/>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"A gRPC address must be an absolute http:// or https:// URI: '{address}'.", nameof(address));
        }

        return new GrpcChannel(address, options ?? new GrpcChannelOptions());
    }

    /// <summary>A cleartext channel to <c>host:port</c>, as Takler's clients dial it; IPv6 literals may be bare.</summary>
    public static GrpcChannel ForHost(string host, int port, GrpcChannelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        var authority = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        return ForAddress(string.Create(CultureInfo.InvariantCulture, $"http://{authority}:{port}"), options);
    }

    /// <summary>A call invoker over this channel.</summary>
    public CallInvoker CreateCallInvoker() => new HttpCallInvoker(this);

    /// <summary>Closes the connection (when the channel made its own handler).</summary>
    public void Dispose() => HttpInvoker.Dispose();

    // Parsing a Uri per call costs more than the rest of building the request; a channel calls few methods.
    internal Uri GetMethodUri(string fullName) =>
        _methodUris.GetOrAdd(fullName, static (name, baseAddress) => new Uri(baseAddress + name, UriKind.Absolute), _baseAddress);

    private static SocketsHttpHandler CreateDefaultHandler(TimeSpan connectTimeout) => new()
    {
        // Plain HTTP/2 to one server: no proxy lookup, cookies, redirects or decompression.
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = connectTimeout,

        // More than 100 concurrent calls open a second connection instead of queueing.
        EnableMultipleHttp2Connections = true,
    };
}
