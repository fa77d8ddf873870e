using System.Reflection;
using Takler.Protocol;
using Takler.Server.Security;

namespace Takler.Server.Tests.Security;

public class RpcAccessTests
{
    [Fact]
    public void Every_rpc_of_the_service_has_an_access_class()
    {
        var methods = typeof(TaklerServerMethods).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType.Name.StartsWith("GrpcMethod", StringComparison.Ordinal))
            .Select(f => (string)f.FieldType.GetProperty("FullName")!.GetValue(f.GetValue(null))!)
            .ToList();

        Assert.NotEmpty(methods);
        Assert.All(methods, m => Assert.True(RpcAccess.All.ContainsKey(m), $"{m} has no access class in RpcAccess"));
    }

    [Theory]
    [InlineData("RunRequestPing", AccessClass.Public)]
    [InlineData("RunCommandComplete", AccessClass.Child)]
    [InlineData("RunChildCommand", AccessClass.Child)]
    [InlineData("RunRequestShow", AccessClass.Read)]
    [InlineData("RequestExport", AccessClass.Read)]
    [InlineData("RunCommandRequeue", AccessClass.Operate)]
    [InlineData("RunCommandBegin", AccessClass.Operate)]
    [InlineData("RunCommandLoad", AccessClass.Admin)]
    [InlineData("RunCommandDelete", AccessClass.Admin)]
    [InlineData("RunCommandCheckpoint", AccessClass.Admin)]
    [InlineData("SomethingNew", AccessClass.Admin)]
    public void Classes(string method, AccessClass expected) =>
        Assert.Equal(expected, RpcAccess.Of($"/{TaklerServerMethods.ServiceName}/{method}"));

    [Fact]
    public void A_watch_reads_but_a_watch_that_runs_its_tasks_operates()
    {
        Assert.Equal(AccessClass.Read, RpcAccess.Of(TaklerServerMethods.WatchStatus.FullName, new WatchRequest { NodePath = { "/f/t" } }));
        Assert.Equal(AccessClass.Operate, RpcAccess.Of(TaklerServerMethods.WatchStatus.FullName, new WatchRequest { NodePath = { "/f/t" }, Run = new() }));
        Assert.Equal(AccessClass.Operate, RpcAccess.Of(TaklerServerMethods.RunCommandSubmit.FullName, new SubmitCommand()));
    }
}
