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
}
