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
    public void A_name_held_at_another_address_is_not_taken_over_and_the_same_address_replaces_its_entry()
    {
        var registry = new ServerRegistry(RegistryPath);
        var start = new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);
        Assert.Null(registry.RegisterUnlessTaken(new RegisteredServer("same", "localhost", 1001, start, 11)));

        var holder = registry.RegisterUnlessTaken(new RegisteredServer("same", "localhost", 1002, start, 12));
        Assert.Equal(11, holder?.Pid);
        Assert.Equal(1001, registry.Find("same")!.Port);

        // The server at that address again (restarted): its new entry replaces the old.
        Assert.Null(registry.RegisterUnlessTaken(new RegisteredServer("same", "localhost", 1001, start, 13)));
        Assert.Equal(13, Assert.Single(registry.Read()).Pid);
    }

    [Fact]
    public async Task Of_servers_registering_one_name_at_the_same_moment_exactly_one_gets_it()
    {
        var start = new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);
        using var go = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            go.Wait();
            return new ServerRegistry(RegistryPath).RegisterUnlessTaken(new RegisteredServer("race", "localhost", 2000 + i, start, 100 + i));
        })).ToList();
        go.Set();
        var holders = await Task.WhenAll(attempts);

        var winner = Assert.Single(new ServerRegistry(RegistryPath).Read());
        Assert.Equal(1, holders.Count(h => h is null));
        Assert.All(holders.Where(h => h is not null), h => Assert.Equal(winner, h));
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
