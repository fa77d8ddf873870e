using System.Net;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Takler.Protocol.Grpc.Server;

/// <summary>
/// Kestrel serving a <see cref="GrpcRouter"/> on one endpoint, HTTP/2 cleartext only (clients
/// connect with prior knowledge, as gRPC's insecure channels do). No generic host: start, stop.
/// </summary>
public sealed class GrpcServerHost : IAsyncDisposable
{
    private readonly KestrelServer _server;
    private bool _stopped;

    private GrpcServerHost(KestrelServer server, IReadOnlyList<Uri> addresses)
    {
        _server = server;
        Addresses = addresses;
    }

    /// <summary>The bound addresses, e.g. <c>http://127.0.0.1:33083</c>; port 0 is replaced by the real port.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The bound port of the first address.</summary>
    public int Port => Addresses[0].Port;

    /// <summary>
    /// Starts listening on <paramref name="endPoint"/> (port 0 picks a free port;
    /// <see cref="IPAddress.IPv6Any"/> listens on IPv4 too, as Takler's <c>[::]</c> does).
    /// </summary>
    public static async Task<GrpcServerHost> StartAsync(
        GrpcRouter router,
        IPEndPoint endPoint,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(endPoint);
        loggerFactory ??= NullLoggerFactory.Instance;

        var options = new KestrelServerOptions
        {
            AddServerHeader = false,
        };

        // The router limits each message; the body as a whole is not limited.
        options.Limits.MaxRequestBodySize = null;
        options.Listen(endPoint, listen => listen.Protocols = HttpProtocols.Http2);

        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory);
        var server = new KestrelServer(Options.Create(options), transport, loggerFactory);
        try
        {
            await server.StartAsync(new GrpcHttpApplication(router), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            server.Dispose();
            throw;
        }

        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var addresses = bound.Select(a => new Uri(a)).ToList();
        return new GrpcServerHost(server, addresses);
    }

    /// <summary>Stops accepting, lets running calls finish until <paramref name="cancellationToken"/> fires, then closes.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _server.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            _server.Dispose();
        }
    }
}
