namespace Takler.Client.Tests;

public sealed class ServerAddressTests
{
    [Fact]
    public void Default_is_localhost_33083() =>
        Assert.Equal(new ServerAddress("localhost", "33083"), ServerAddress.Resolve(environment: _ => null));

    [Fact]
    public void Environment_overrides_the_default_even_when_empty()
    {
        var env = new Dictionary<string, string> { ["TAKLER_HOST"] = "db1", ["TAKLER_PORT"] = "" };
        Assert.Equal(new ServerAddress("db1", ""), ServerAddress.Resolve(environment: env.GetValueOrDefault));
    }

    [Fact]
    public void Explicit_values_win_each_on_its_own()
    {
        var env = new Dictionary<string, string> { ["TAKLER_HOST"] = "db1", ["TAKLER_PORT"] = "4000" };
        Assert.Equal(new ServerAddress("db1", "5000"), ServerAddress.Resolve(port: "5000", environment: env.GetValueOrDefault));
        Assert.Equal(new ServerAddress("db2", "4000"), ServerAddress.Resolve(host: "db2", environment: env.GetValueOrDefault));
    }

    [Fact]
    public void Client_uses_the_resolved_address_and_set_host_port_changes_it()
    {
        using var client = new TaklerServiceClient(null, new TaklerClientOptions { Environment = n => n == "TAKLER_PORT" ? "4001" : null });
        Assert.Equal("localhost:4001", client.Address.ToString());
        client.SetHostPort("login_a06", 33083);
        Assert.Equal("login_a06:33083", client.Address.ToString());
    }

    [Fact]
    public void A_port_that_is_not_a_number_is_a_value_error()
    {
        var e = Assert.Throws<TaklerClientException>(() => new ServerAddress("h", "x1").PortNumber);
        Assert.Equal("ValueError: invalid port: 'x1'", e.Message);
        Assert.Equal(3, e.ExitCode);
    }

    [Fact]
    public void Job_identity_comes_from_the_environment()
    {
        var env = new Dictionary<string, string> { ["TAKLER_PASS"] = "pw", ["TAKLER_TRY_NO"] = "3", ["TAKLER_RID"] = "1234" };
        Assert.Equal(new JobIdentity("pw", 3, "1234"), JobIdentity.FromEnvironment(env.GetValueOrDefault));
        Assert.Equal(JobIdentity.None, JobIdentity.FromEnvironment(_ => null));
    }

    [Fact]
    public void Takler_host_may_list_servers_a_host_without_port_taking_the_resolved_port()
    {
        var env = new Dictionary<string, string> { ["TAKLER_HOST"] = "login1:4000, login2 ,[::1]:4002", ["TAKLER_PORT"] = "33084" };

        Assert.Equal(
            [new ServerAddress("login1", "4000"), new ServerAddress("login2", "33084"), new ServerAddress("::1", "4002")],
            ServerAddress.ResolveAll(environment: env.GetValueOrDefault));
    }

    [Fact]
    public void One_host_without_a_list_resolves_as_before()
    {
        var env = new Dictionary<string, string> { ["TAKLER_HOST"] = "db1", ["TAKLER_PORT"] = "" };
        Assert.Equal([new ServerAddress("db1", "")], ServerAddress.ResolveAll(environment: env.GetValueOrDefault));
        Assert.Equal([ServerAddress.Default], ServerAddress.ResolveAll(environment: _ => null));
    }

    [Fact]
    public void Host_file_servers_follow_takler_host_or_stand_alone()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "# servers\nlogin2:4000\n\n  login3   # no port\nlogin1:33083\n");

        var alone = new Dictionary<string, string> { ["TAKLER_HOSTFILE"] = file };
        Assert.Equal(
            [new ServerAddress("login2", "4000"), new ServerAddress("login3", "33083"), new ServerAddress("login1", "33083")],
            ServerAddress.ResolveAll(environment: alone.GetValueOrDefault));

        var after = new Dictionary<string, string> { ["TAKLER_HOSTFILE"] = file, ["TAKLER_HOST"] = "login1" };
        Assert.Equal(
            [new ServerAddress("login1", "33083"), new ServerAddress("login2", "4000"), new ServerAddress("login3", "33083")],
            ServerAddress.ResolveAll(environment: after.GetValueOrDefault));

        Assert.Equal([new ServerAddress("h", "1")], ServerAddress.ResolveAll("h", "1", alone.GetValueOrDefault)); // --host wins
        File.Delete(file);
    }

    [Theory]
    [InlineData("a:1,b:x", "TAKLER_HOST: 'b:x' is not host[:port] with a port from 1 to 65535")]
    [InlineData("a:1,:2", "TAKLER_HOST: ':2' is not host[:port] with a port from 1 to 65535")]
    [InlineData("[::1:2", "TAKLER_HOST: '[::1:2' has no closing ']'")]
    public void A_bad_server_in_a_list_is_named(string hosts, string message)
    {
        var e = Assert.Throws<TaklerClientException>(() => ServerAddress.ParseList(hosts, "33083"));
        Assert.Equal("ValueError: " + message, e.Message);
    }

    [Fact]
    public void A_missing_host_file_is_named()
    {
        var env = new Dictionary<string, string> { ["TAKLER_HOSTFILE"] = "/nonexistent/servers" };
        var e = Assert.Throws<TaklerClientException>(() => ServerAddress.ResolveAll(environment: env.GetValueOrDefault));
        Assert.StartsWith("FileNotFoundError: TAKLER_HOSTFILE: cannot read host file '/nonexistent/servers'", e.Message, StringComparison.Ordinal);
    }
}
