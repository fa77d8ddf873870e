using System.Globalization;
using Takler.Cli.Tests.TestSupport;
using Takler.Client;

namespace Takler.Cli.Tests;

/// <summary>takler_client with servers found by name (`--server`, `--all`, `servers`) and with users' tokens.</summary>
public sealed class MultiServerTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("takler-cli-registry-").FullName;
    private TestServer _a = null!;
    private TestServer _b = null!;
    private int _deadPort;

    private string RegistryPath => Path.Combine(_directory, "servers.json");

    private Dictionary<string, string> Env => new() { [ServerRegistry.Variable] = RegistryPath, ["TAKLER_TIMEOUT"] = "0" };

    public async Task InitializeAsync()
    {
        _a = await TestServer.StartAsync();
        _b = await TestServer.StartAsync();
        _deadPort = TestServer.FreePort();
        var registry = new ServerRegistry(RegistryPath);
        var start = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
        registry.Register(new RegisteredServer("op-a", "127.0.0.1", _a.Port, start, 1001));
        registry.Register(new RegisteredServer("op-dead", "127.0.0.1", _deadPort, start, 1002));
        registry.Register(new RegisteredServer("op-b", "127.0.0.1", _b.Port, start, 1003));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static string P(int port) => port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Servers_lists_the_registered_servers_and_whether_each_answers_then_prunes()
    {
        var result = await CliProcess.RunAsync(["servers", "op-"], Env);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^NAME +ADDRESS +PID +STARTED +ANSWERS$", lines[0]);
        Assert.Matches($"^op-a +127.0.0.1:{_a.Port} +1001 +2026-11-22 08:00:00Z +yes$", lines[1]);
        Assert.Matches($"^op-dead +127.0.0.1:{_deadPort} +1002 +2026-11-22 08:00:00Z +no$", lines[2]);
        Assert.Matches($"^op-b +127.0.0.1:{_b.Port} +1003 +2026-11-22 08:00:00Z +yes$", lines[3]);

        var pruned = await CliProcess.RunAsync(["servers", "--prune", "--json"], Env);
        Assert.True(pruned.ExitCode == 0, pruned.ToString());
        Assert.Contains("\"answers\":false", pruned.Stdout, StringComparison.Ordinal);
        Assert.Equal(["op-a", "op-b"], new ServerRegistry(RegistryPath).Read().Select(s => s.Name));
    }

    [Fact]
    public async Task A_name_resolves_through_the_registry()
    {
        var result = await CliProcess.RunAsync(["ping", "--server", "op-b"], Env);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"ping server (127.0.0.1:{_b.Port}) succeeded in ", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_name_is_a_clear_error()
    {
        var result = await CliProcess.RunAsync(["ping", "--server", "nope"], Env);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"ValueError: --server nope: no server of that name is registered in {RegistryPath} (see takler_client servers), and it is not HOST:PORT\n", result.Stderr);
    }

    [Fact]
    public async Task Several_servers_answer_in_the_order_named_and_the_dead_one_is_one_result()
    {
        var result = await CliProcess.RunAsync(["suspend", "/x", "--server", "op-a", "--server", "op-dead", "--server", $"127.0.0.1:{_b.Port}"], Env);

        Assert.Equal(4, result.ExitCode); // the worst of: 1 (node not found), 4 (unreachable), 1
        Assert.Equal(
            $"== op-a (127.0.0.1:{P(_a.Port)}) ==\nreceived: node_not_found\n"
            + $"== op-dead (127.0.0.1:{P(_deadPort)}) ==\n"
            + $"== 127.0.0.1:{P(_b.Port)} ==\nreceived: node_not_found\n",
            result.Stdout);
        var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, errors.Length);
        Assert.StartsWith($"op-a (127.0.0.1:{P(_a.Port)}): node_not_found: NodeNotFoundError: ", errors[0], StringComparison.Ordinal);
        Assert.StartsWith($"op-dead (127.0.0.1:{P(_deadPort)}): ClientConnectionError: server 127.0.0.1:{P(_deadPort)} is unreachable", errors[1], StringComparison.Ordinal);
        Assert.StartsWith($"127.0.0.1:{P(_b.Port)}: node_not_found: ", errors[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_from_several_servers_is_one_document_with_each_answer_in_order()
    {
        var result = await CliProcess.RunAsync(["ping", "--json", "--server", "op-a", "--server", "op-dead", "--server", "op-b"], Env);

        Assert.Equal(4, result.ExitCode);
        using var document = System.Text.Json.JsonDocument.Parse(result.Stdout);
        var servers = document.RootElement.GetProperty("servers").EnumerateArray().ToList();
        Assert.Equal(3, servers.Count);
        Assert.Equal($"op-a (127.0.0.1:{P(_a.Port)})", servers[0].GetProperty("server").GetString());
        Assert.Equal($"127.0.0.1:{P(_a.Port)}", servers[0].GetProperty("address").GetString());
        Assert.Equal(0, servers[0].GetProperty("exit").GetInt32());
        Assert.Equal(_a.Port, servers[0].GetProperty("result").GetProperty("port").GetInt32());
        Assert.Empty(servers[0].GetProperty("errors").EnumerateArray());

        Assert.Equal(4, servers[1].GetProperty("exit").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, servers[1].GetProperty("result").ValueKind);
        Assert.StartsWith($"ClientConnectionError: server 127.0.0.1:{P(_deadPort)} is unreachable", servers[1].GetProperty("errors")[0].GetString(), StringComparison.Ordinal);

        Assert.Equal(_b.Port, servers[2].GetProperty("result").GetProperty("port").GetInt32());
        Assert.StartsWith($"op-dead (127.0.0.1:{P(_deadPort)}): ClientConnectionError: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task All_sends_to_every_registered_server()
    {
        var result = await CliProcess.RunAsync(["coroutine", "--all"], Env);

        Assert.Equal(4, result.ExitCode);
        Assert.Equal(2, result.Stdout.Split('\n').Count(l => l.StartsWith("takler.server.engine", StringComparison.Ordinal)));
        Assert.Contains("== op-dead", result.Stdout, StringComparison.Ordinal);
    }
}
