using System.Reflection;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Server;
using Takler.Protocol.Tests.TestSupport;

namespace Takler.Protocol.Tests;

/// <summary>The hand-written service surface stays in step with takler.proto.</summary>
public sealed class TaklerServerServiceTests
{
    private static readonly string[] Rpcs = [.. TaklerReflection.Descriptor.Services.Single().Methods.Select(m => m.Name)];

    [Fact]
    public void Every_rpc_has_a_method_descriptor_with_its_path_and_messages()
    {
        var service = TaklerReflection.Descriptor.Services.Single();
        foreach (var rpc in service.Methods)
        {
            var field = typeof(TaklerServerMethods).GetField(rpc.Name, BindingFlags.Public | BindingFlags.Static);
            Assert.True(field is not null, $"TaklerServerMethods.{rpc.Name} is missing");
            var value = field.GetValue(null)!;
            Assert.Equal($"/takler_protocol.TaklerServer/{rpc.Name}", value.ToString());
            var arguments = field.FieldType.GetGenericArguments();
            Assert.Equal(rpc.InputType.ClrType, arguments[0]);
            Assert.Equal(rpc.OutputType.ClrType, arguments[1]);
        }

        Assert.Equal(Rpcs.Length, typeof(TaklerServerMethods).GetFields(BindingFlags.Public | BindingFlags.Static).Count(f => f.FieldType.IsGenericType));
    }

    [Fact]
    public void Every_rpc_has_a_client_method_and_a_service_method()
    {
        foreach (var rpc in Rpcs)
        {
            Assert.NotNull(typeof(TaklerServerClient).GetMethod(rpc + "Async"));
            var serviceMethod = typeof(TaklerServerServiceBase).GetMethod(rpc);
            Assert.True(serviceMethod is { IsVirtual: true }, $"TaklerServerServiceBase.{rpc} is missing");
        }
    }

    [Fact]
    public void Bind_service_maps_every_rpc()
    {
        var router = new GrpcRouter();
        new EmptyService().BindService(router);

        Assert.Equal(
            Rpcs.Select(r => $"/takler_protocol.TaklerServer/{r}").Order(StringComparer.Ordinal),
            router.Methods.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Rpc_not_overridden_answers_unimplemented()
    {
        var context = new ServerCallContext("/x/y", "localhost", "test", [], DateTimeOffset.MaxValue, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new EmptyService().RequestTree(new TreeRequest(), context));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task Every_rpc_of_an_empty_service_is_unimplemented_over_the_wire()
    {
        var router = new GrpcRouter();
        new EmptyService().BindService(router);
        await using var host = await GrpcServerHost.StartAsync(router, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        using var raw = new RawHttp2Client(host.Addresses[0]);

        foreach (var rpc in Rpcs)
        {
            var response = await raw.PostBytesAsync([0, 0, 0, 0, 0], "/takler_protocol.TaklerServer/" + rpc);
            Assert.Equal((int)StatusCode.Unimplemented, response.GrpcStatus);
        }
    }

    private sealed class EmptyService : TaklerServerServiceBase;
}
