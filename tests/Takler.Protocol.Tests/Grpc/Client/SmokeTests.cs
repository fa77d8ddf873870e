using Takler.Protocol.Tests.TestSupport;

namespace Takler.Protocol.Tests.Grpc.Client;

public sealed class SmokeTests
{
    [Fact]
    public async Task Ping_round_trips()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var client = new TaklerServerClient(channel);
        var response = await client.RunRequestPingAsync(new PingRequest());
        Assert.NotNull(response);
    }
}
