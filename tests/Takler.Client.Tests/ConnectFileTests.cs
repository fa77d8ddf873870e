namespace Takler.Client.Tests;

/// <summary>TAKLER_CONNECT_FILE (takler-compat §4.6): both host and port, between the options and the environment.</summary>
public sealed class ConnectFileTests
{
    private static string Write(string yaml)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("takler-connect").FullName, "connect.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static Func<string, string?> Env(string? file, string? host = "envhost", string? port = "4000") => name => name switch
    {
        "TAKLER_CONNECT_FILE" => file,
        "TAKLER_HOST" => host,
        "TAKLER_PORT" => port,
        _ => null,
    };

    private const string Good = """
        # written by the server
        server:
          address:
            hostname: login_a06   # the login node
            ip: "10.0.0.1"
            port: '33083'
        """;

    [Fact]
    public void Connect_file_sets_host_and_port_over_the_environment() =>
        Assert.Equal(new ServerAddress("login_a06", "33083"), ServerAddress.Resolve(environment: Env(Write(Good))));

    [Fact]
    public void Options_win_over_the_connect_file_each_on_its_own()
    {
        var file = Write(Good);
        Assert.Equal(new ServerAddress("login_a06", "5000"), ServerAddress.Resolve(port: "5000", environment: Env(file)));
        Assert.Equal(new ServerAddress("h2", "5000"), ServerAddress.Resolve("h2", "5000", Env("/nonexistent/x")));
    }

    [Fact]
    public void Unquoted_numeric_port_is_a_validation_error()
    {
        var e = Assert.Throws<TaklerClientException>(() => ServerAddress.Resolve(environment: Env(Write(Good.Replace("'33083'", "33083", StringComparison.Ordinal)))));
        Assert.StartsWith("ValidationError: 1 validation error for ConnectFile server.address.port Input should be a valid string", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, e.ExitCode);
    }

    [Fact]
    public void Missing_field_is_a_validation_error()
    {
        var e = Assert.Throws<TaklerClientException>(() => ServerAddress.Resolve(environment: Env(Write("server:\n  address:\n    hostname: h\n"))));
        Assert.StartsWith("ValidationError: 2 validation errors for ConnectFile server.address.ip Field required", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_or_missing_file_is_file_not_found()
    {
        var e = Assert.Throws<TaklerClientException>(() => ServerAddress.Resolve(environment: Env(string.Empty)));
        Assert.Equal("FileNotFoundError: [Errno 2] No such file or directory: ''", e.Message);
        Assert.Equal(3, e.ExitCode);
    }
}
