using Google.Protobuf;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;

namespace Takler.Client;

/// <summary>Adds a user's credentials to the metadata of every call (signing each request when the user has a key).</summary>
internal sealed class CredentialsCallInvoker : CallInvoker
{
    private readonly CallInvoker _inner;
    private readonly TaklerCredentials _credentials;
    private readonly TimeProvider _time;

    public CredentialsCallInvoker(CallInvoker inner, TaklerCredentials credentials, TimeProvider time)
    {
        _inner = inner;
        _credentials = credentials;
        _time = time;
    }

    public override Task<TResponse> UnaryAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method,
        TRequest request,
        Metadata? headers = null,
        DateTimeOffset? deadline = null,
        CancellationToken cancellationToken = default) =>
        _inner.UnaryAsync(method, request, With(headers, method.FullName, request), deadline, cancellationToken);

    public override IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method,
        TRequest request,
        Metadata? headers = null,
        DateTimeOffset? deadline = null,
        CancellationToken cancellationToken = default) =>
        _inner.ServerStreamingAsync(method, request, With(headers, method.FullName, request), deadline, cancellationToken);

    private Metadata With(Metadata? headers, string methodPath, IMessage request)
    {
        var all = _credentials.Headers(methodPath, request, _time);
        foreach (var entry in headers ?? [])
        {
            all.Add(entry);
        }

        return all;
    }
}
