using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Takler.Protocol.Grpc.Server;

/// <summary>Kestrel's application: every request goes to the router.</summary>
internal sealed class GrpcHttpApplication : IHttpApplication<HttpContext>
{
    private readonly GrpcRouter _router;

    public GrpcHttpApplication(GrpcRouter router) => _router = router;

    public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

    public Task ProcessRequestAsync(HttpContext context) => _router.HandleAsync(context);

    public void DisposeContext(HttpContext context, Exception? exception)
    {
    }
}
