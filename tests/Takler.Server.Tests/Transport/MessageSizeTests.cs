using System.Text;
using Takler.Protocol;
using Takler.Protocol.Grpc;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Tests.Transport;

/// <summary>Requests are limited to 4 MiB, but definition loads, which carry whole suites, to 256 MiB.</summary>
public class MessageSizeTests
{
    [Fact]
    public async Task A_definition_larger_than_4_MiB_loads_but_another_request_that_large_is_resource_exhausted()
    {
        await using var fx = await ServerFixture.StartAsync();
        var def = new StringBuilder("suite big\n");
        for (var i = 0; def.Length < 5 * 1024 * 1024; i++)
        {
            def.Append("  task t").Append(i).Append("\n    edit PADDING 'a parameter that makes the definition large enough'\n");
        }

        def.Append("endsuite\n");
        var load = await fx.Client.RunCommandLoadDefAsync(new LoadDefCommand { Definition = def.ToString() });
        Assert.Equal(0, load.Flag);

        var alter = new AlterCommand { NodePath = { "/big" }, Action = AlterAction.Add, Kind = AttributeKind.Parameter, Name = "HUGE", Value = new string('x', 5 * 1024 * 1024) };
        var refused = await Assert.ThrowsAsync<RpcException>(() => fx.Client.RunCommandAlterAsync(alter));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.NotNull(await fx.Client.RunRequestPingAsync(new PingRequest())); // and the server still answers
    }
}
