using Takler.Cli.Tests.TestSupport;

namespace Takler.Cli.Tests;

/// <summary>takler_client against a server with users: tokens from --token or TAKLER_TOKEN, refusals as exit 6.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(prepare: server => File.WriteAllText(
        Path.Combine(server.Options.Home, "users.json"),
        """
        { "users": [
          { "name": "viewer", "role": "read", "token": "viewer-token-0123456789" },
          { "name": "ops", "role": "operate", "token": "ops-token-0123456789" } ] }
        """));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<CliResult> Run(IReadOnlyDictionary<string, string>? env, params string[] args) =>
        CliProcess.RunAsync([.. args, .. _server.Address], env);

    [Fact]
    public async Task Without_a_token_a_command_exits_6_with_one_line()
    {
        var result = await Run(null, "suspend", "/f");

        Assert.Equal(6, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Equal($"PermissionDeniedError: suspend on server 127.0.0.1:{_server.Port} failed with gRPC status UNAUTHENTICATED: no credentials: send a token (--token or TAKLER_TOKEN)\n", result.Stderr);
    }

    [Fact]
    public async Task A_role_too_low_exits_6_and_says_which_role_is_needed()
    {
        var result = await Run(null, "suspend", "/f", "--token", "viewer-token-0123456789");

        Assert.Equal(6, result.ExitCode);
        Assert.EndsWith("failed with gRPC status PERMISSION_DENIED: user viewer has role read; RunCommandSuspend needs operate\n", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_comes_from_the_option_or_the_environment()
    {
        var option = await Run(null, "suspend", "/f", "--token", "ops-token-0123456789");
        Assert.Equal("received: node_not_found\n", option.Stdout); // let through; the node does not exist

        var env = await Run(new Dictionary<string, string> { ["TAKLER_TOKEN"] = "viewer-token-0123456789" }, "stats");
        Assert.True(env.ExitCode == 0, env.ToString());
    }
}
