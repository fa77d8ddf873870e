using System.Net;
using System.Net.Http.Headers;

namespace Takler.Protocol.Tests.TestSupport;

/// <summary>An HTTP handler that answers every request with a scripted response, and keeps the last request.</summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, HttpResponseMessage> _respond;

    public ScriptedHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) => _respond = respond;

    public HttpRequestMessage? LastRequest { get; private set; }

    public byte[]? LastBody { get; private set; }

    /// <summary>A 200 response with the given body, content type, headers and trailers.</summary>
    public static HttpResponseMessage Response(
        byte[] body,
        string? contentType = "application/grpc",
        IDictionary<string, string>? headers = null,
        IDictionary<string, string>? trailers = null,
        HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = new HttpResponseMessage(status) { Version = HttpVersion.Version20, Content = new ByteArrayContent(body) };
        if (contentType is not null)
        {
            response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            response.Headers.TryAddWithoutValidation(key, value);
        }

        foreach (var (key, value) in trailers ?? new Dictionary<string, string>())
        {
            response.TrailingHeaders.TryAddWithoutValidation(key, value);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        LastRequest = request;
        LastBody = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        return _respond(request);
    }
}
