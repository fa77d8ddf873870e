using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Server;

namespace Takler.Protocol.Tests.TestSupport;

/// <summary>A server-streaming test method, shaped like a later "wait": one request, many answers.</summary>
internal static class TestStreams
{
    public const string ServiceName = "takler_test.Streams";

    /// <summary>Writes <c>max_depth</c> answers, each one node named 0, 1, ...; root_path "fail" aborts after two; "hang" writes one and waits.</summary>
    public static readonly GrpcMethod<TreeRequest, TreeResponse> Count =
        new(MethodType.ServerStreaming, ServiceName, "Count", TreeRequest.Parser, TreeResponse.Parser);

    public static void Map(GrpcRouter router, TaskCompletionSource<bool> hangCancelled) =>
        router.MapServerStreaming(Count, async (request, writer, context) =>
        {
            var count = request.RootPath == "fail" ? 2 : request.MaxDepth;
            for (var i = 0; i < count; i++)
            {
                await writer.WriteAsync(Answer(i.ToString(System.Globalization.CultureInfo.InvariantCulture), i), context.CancellationToken);
            }

            if (request.RootPath == "fail")
            {
                throw new RpcException(StatusCode.Aborted, "stopped after 2");
            }

            if (request.RootPath == "hang")
            {
                await writer.WriteAsync(Answer("waiting", 0), context.CancellationToken);
                try
                {
                    await Task.Delay(Timeout.Infinite, context.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    hangCancelled.TrySetResult(true);
                    throw;
                }
            }
        });

    private static TreeResponse Answer(string name, int depth) => new() { Nodes = { new TreeNode { Name = name, Depth = depth } } };
}
