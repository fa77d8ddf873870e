using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Takler.Protocol.Grpc.Server;

/// <summary>Kestrel's application: every request goes to the router.</summary>
internal sealed class GrpcHttpApplication : IHttpApplication<HttpContext>
{
    private readonly GrpcRouter _router;

    public GrpcHttpApplication(GrpcRouter router) => _router = router;

    public HttpContext CreateContext(IFeatureCollection contextFeatures)
    {
        // Kestrel keeps one context per HTTP/2 stream object and pools those: reuse it, as ASP.NET Core's host does,
        // instead of a new DefaultHttpContext (and its feature caches) per call.
        if (contextFeatures is IHostContextContainer<HttpContext> container)
        {
            if (container.HostContext is DefaultHttpContext pooled)
            {
                pooled.Initialize(contextFeatures);
                return pooled;
            }

            var created = new DefaultHttpContext(contextFeatures);
            container.HostContext = created;
            return created;
        }

        return new DefaultHttpContext(contextFeatures);
    }

    public Task ProcessRequestAsync(HttpContext context) => _router.HandleAsync(context);

    public void DisposeContext(HttpContext context, Exception? exception)
    {
        if (context is DefaultHttpContext pooled)
        {
            pooled.Uninitialize();
        }
    }
}
