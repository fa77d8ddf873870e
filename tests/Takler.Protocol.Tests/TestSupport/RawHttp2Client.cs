using System.Net;
using System.Net.Http.Headers;

namespace Takler.Protocol.Tests.TestSupport;

/// <summary>Sends hand-made HTTP/2 requests (h2c prior knowledge) to see exactly what the server answers.</summary>
internal sealed class RawHttp2Client : IDisposable
{
    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler { UseProxy = false }, disposeHandler: true);
    private readonly Uri _address;

    public RawHttp2Client(Uri address) => _address = address;

    public static string PingPath => "/takler_protocol.TaklerServer/RunRequestPing";

    public async Task<RawResponse> PostAsync(
        string path,
        HttpContent? content,
        IDictionary<string, string>? headers = null,
        bool te = true,
        string contentType = "application/grpc",
        HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, new Uri(_address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        if (content is not null)
        {
            content.Headers.Remove("content-type");
            content.Headers.TryAddWithoutValidation("content-type", contentType);
        }

        if (te)
        {
            request.Headers.TryAddWithoutValidation("te", "trailers");
        }

        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }

        using var timeout = new CancellationTokenSource(Timeouts.Event);
        using var response = await _invoker.SendAsync(request, timeout.Token);
        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        return new RawResponse(
            response.StatusCode,
            ToDictionary(response.Headers, response.Content.Headers),
            body,
            ToDictionary(response.TrailingHeaders));
    }

    public Task<RawResponse> PostBytesAsync(byte[] body, string? path = null, IDictionary<string, string>? headers = null) =>
        PostAsync(path ?? PingPath, new ByteArrayContent(body), headers);

    public void Dispose() => _invoker.Dispose();

    private static Dictionary<string, string> ToDictionary(params HttpHeaders[] blocks)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var block in blocks)
        {
            foreach (var (key, values) in block.NonValidated)
            {
                result[key] = values.ToString();
            }
        }

        return result;
    }
}

/// <summary>What a raw request got back.</summary>
internal sealed record RawResponse(
    HttpStatusCode HttpStatus,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    IReadOnlyDictionary<string, string> Trailers)
{
    /// <summary>True when grpc-status came in the headers: a Trailers-Only response.</summary>
    public bool IsTrailersOnly => Headers.ContainsKey("grpc-status");

    public int GrpcStatus => int.Parse(
        IsTrailersOnly ? Headers["grpc-status"] : Trailers["grpc-status"],
        System.Globalization.CultureInfo.InvariantCulture);

    public string? GrpcMessage =>
        (IsTrailersOnly ? Headers : Trailers).TryGetValue("grpc-message", out var message) ? message : null;
}
