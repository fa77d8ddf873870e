using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;
using Takler.Protocol.Tests.TestSupport;

namespace Takler.Protocol.Tests.Grpc.Client;

/// <summary>Server-streaming calls (the shape of a later "wait"), end to end.</summary>
public sealed class ServerStreamingTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private GrpcChannel _channel = null!;
    private CallInvoker _invoker = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _channel = _server.CreateChannel();
        _invoker = _channel.CreateCallInvoker();
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Stream_delivers_every_message_in_order()
    {
        var names = new List<string>();
        await foreach (var answer in _invoker.ServerStreamingAsync(TestStreams.Count, new TreeRequest { MaxDepth = 50 }))
        {
            names.Add(answer.Nodes[0].Name);
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), names);
    }

    [Fact]
    public async Task Empty_stream_ends_without_messages()
    {
        var count = 0;
        await foreach (var unused in _invoker.ServerStreamingAsync(TestStreams.Count, new TreeRequest { MaxDepth = 0 }))
        {
            count++;
        }

        Assert.Equal(0, count);
    }

    [Fact]
    public async Task Error_after_messages_is_thrown_after_they_are_read()
    {
        var names = new List<string>();

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var answer in _invoker.ServerStreamingAsync(TestStreams.Count, new TreeRequest { RootPath = "fail" }))
            {
                names.Add(answer.Nodes[0].Name);
            }
        });

        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal("stopped after 2", ex.Detail);
        Assert.Equal(["0", "1"], names);
    }

    [Fact]
    public async Task Leaving_the_stream_early_cancels_the_server_handler()
    {
        await foreach (var answer in _invoker.ServerStreamingAsync(TestStreams.Count, new TreeRequest { RootPath = "hang" }))
        {
            Assert.Equal("waiting", answer.Nodes[0].Name);
            break;
        }

        Assert.True(await _server.StreamCancelled.Task.WaitAsync(Timeouts.Event));
    }

    [Fact]
    public async Task Stream_deadline_ends_the_call_with_deadline_exceeded()
    {
        var received = 0;

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            // Long enough for the first message to arrive on a loaded machine (300 ms was not, once, in a full test run).
            var deadline = Timeouts.Deadline(TimeSpan.FromSeconds(2));
            await foreach (var unused in _invoker.ServerStreamingAsync(TestStreams.Count, new TreeRequest { RootPath = "hang" }, deadline: deadline))
            {
                received++;
            }
        });

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal(1, received);
        Assert.True(await _server.StreamCancelled.Task.WaitAsync(Timeouts.Event));
    }

    [Fact]
    public async Task Unary_method_called_as_stream_yields_its_one_message()
    {
        var asStream = new GrpcMethod<StatusRequest, StatusResponse>(
            MethodType.ServerStreaming, TaklerServerMethods.ServiceName, "RequestStatus", StatusRequest.Parser, StatusResponse.Parser);

        var answers = new List<StatusResponse>();
        await foreach (var answer in _invoker.ServerStreamingAsync(asStream, new StatusRequest { NodePath = "/f" }))
        {
            answers.Add(answer);
        }

        Assert.Equal("/f", Assert.Single(answers).NodePath);
    }
}
