using Takler.Client.Tests.TestSupport;
using Takler.Protocol;
using Takler.Protocol.Grpc;

namespace Takler.Client.Tests.Retry;

/// <summary>Several servers: a call the current one does not answer goes to the next at once; backoff once all failed.</summary>
public sealed class FailoverTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly List<TimeSpan> _delays = [];
    private readonly List<string> _calls = [];

    private TaklerServiceClient Client(Func<ServerAddress, int, object> answer, params ServerAddress[] servers)
    {
        var counts = new Dictionary<ServerAddress, int>();
        return TaklerServiceClient.ForServers(servers, new TaklerClientOptions
        {
            TimeProvider = _time,
            Delay = (delay, _) =>
            {
                _delays.Add(delay);
                _time.Advance(delay);
                return Task.CompletedTask;
            },
            Log = _ => { },
            Environment = _ => null,
            CallInvokerFactory = address => new ScriptedInvoker((_, _) =>
            {
                _calls.Add(address.ToString());
                counts[address] = counts.GetValueOrDefault(address) + 1;
                return answer(address, counts[address]);
            }),
        });
    }

    private static readonly ServerAddress A = new("a", "1");
    private static readonly ServerAddress B = new("b", "2");

    [Fact]
    public async Task A_child_command_the_first_server_does_not_answer_goes_to_the_next_at_once()
    {
        using var client = Client((address, _) => address == A ? StatusCode.Unavailable : new ServiceResponse(), A, B);

        await client.CompleteAsync("/f/t");

        Assert.Equal(["a:1", "b:2"], _calls);
        Assert.Empty(_delays);
        Assert.Equal(B, client.Address);

        await client.EventAsync("/f/t", "e"); // stays on the server that answered
        Assert.Equal("b:2", _calls[^1]);
    }

    [Fact]
    public async Task Backoff_waits_only_once_every_server_failed()
    {
        using var client = Client((address, n) => address == B && n == 2 ? new ServiceResponse() : StatusCode.Unavailable, A, B);

        await client.CompleteAsync("/f/t");

        Assert.Equal(["a:1", "b:2", "a:1", "b:2"], _calls);
        Assert.Equal([1], _delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task An_answered_failure_is_not_sent_to_another_server()
    {
        using var client = Client((_, _) => new ServiceResponse { Flag = 10, Message = "NodeNotFoundError: node is not found: /f/x" }, A, B);

        var e = await Assert.ThrowsAsync<TaklerClientException>(() => client.CompleteAsync("/f/x"));

        Assert.Equal(10, e.Flag);
        Assert.Equal(["a:1"], _calls);
    }
}
