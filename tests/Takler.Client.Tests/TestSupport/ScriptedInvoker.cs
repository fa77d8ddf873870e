using Google.Protobuf;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;

namespace Takler.Client.Tests.TestSupport;

/// <summary>A call invoker that answers each attempt from a script: a status to fail with, or a response.</summary>
public sealed class ScriptedInvoker(Func<int, string, object> answer) : CallInvoker
{
    private int _calls;

    public int Calls => _calls;

    public List<string> Methods { get; } = [];

    public List<Metadata?> Headers { get; } = [];

    public override Task<TResponse> UnaryAsync<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, TRequest request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default)
    {
        var n = Interlocked.Increment(ref _calls);
        Methods.Add(method.Name);
        Headers.Add(headers);
        return answer(n, method.Name) switch
        {
            StatusCode code => Task.FromException<TResponse>(new RpcException(code, $"scripted {code}")),
            TResponse response => Task.FromResult(response),
            var other => throw new InvalidOperationException($"scripted answer {other} is not a {typeof(TResponse).Name}"),
        };
    }

    public override IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, TRequest request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
