using Takler.Client;

namespace Takler.Server.Tests.Hosting;

/// <summary>`takler_server --name`: real server processes register in servers.json, are found, listed and pruned.</summary>
public sealed class ServerRegistrationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("takler-registry-").FullName;

    private string RegistryPath => Path.Combine(_directory, "servers.json");

    private Dictionary<string, string> Environment => new() { [ServerRegistry.Variable] = RegistryPath };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Two_servers_register_are_found_and_listed_leave_on_stop_and_are_pruned_when_dead()
    {
        // Started together: the lock file keeps both entries.
        var startA = ServerProcess.StartReadyAsync(Environment, "--name", "reg-a");
        var startB = ServerProcess.StartReadyAsync(Environment, "--name", "reg-b");
        await using var a = await startA;
        await using var b = await startB;
        await a.WaitForLineAsync("registered as reg-a");
        await b.WaitForLineAsync("registered as reg-b");

        var registry = new ServerRegistry(RegistryPath);
        Assert.Equal(["reg-a", "reg-b"], registry.List("reg-").Select(s => s.Name).Order());
        var entryA = registry.Find("reg-a")!;
        Assert.Equal((a.Port, a.ProcessId, "localhost"), (entryA.Port, entryA.Pid, entryA.Host));
        Assert.Equal(b.Port, registry.Find("reg-b")!.Port);
        Assert.Empty(registry.List("other"));
        Assert.All(await ServerRegistry.PingAllAsync(registry.Read(), TimeSpan.FromSeconds(5)), c => Assert.True(c.Answers, c.Server.Name));

        // A clean stop removes the entry.
        await a.SignalAsync("TERM");
        Assert.Equal(0, await a.WaitForExitAsync());
        Assert.Equal(["reg-b"], registry.Read().Select(s => s.Name));

        // A killed server leaves its entry behind, until a ping finds it dead.
        await b.SignalAsync("KILL");
        await b.WaitForExitAsync();
        Assert.Equal(["reg-b"], registry.Read().Select(s => s.Name));
        var pruned = await registry.PruneAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["reg-b"], pruned.Select(s => s.Name));
        Assert.Empty(registry.Read());
    }

    [Fact]
    public async Task A_malformed_users_file_stops_the_start_with_one_line_naming_file_and_line()
    {
        var users = Path.Combine(_directory, "users.json");
        await File.WriteAllTextAsync(users, "{ \"users\": [\n  { \"name\": \"a\", \"role\": \"boss\", \"token\": \"0123456789abcdef\" }\n] }\n");
        await using var server = ServerProcess.Start(["--users", users, "--no-storage"]);

        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.Equal([$"takler_server: users file {users}, line 2: user \"a\": role \"boss\" is not read, operate or admin"], server.StandardError);
    }
}
