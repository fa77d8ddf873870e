using System.Net;
using System.Net.Sockets;
using Takler.Server.Hosting;
using Takler.Server.Storage;
using Takler.Server.Tests.Storage;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Tests.Hosting;

/// <summary>The server opens its port while it restores: a failed restore lets the port go again.</summary>
public class ListenWhileRestoringTests
{
    [Fact]
    public async Task A_restore_that_fails_lets_the_port_go()
    {
        using var home = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(home.Path, "takler.db"), "not a database, and longer than SQLite's header of one hundred bytes: " + new string('x', 200));
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        await using (var server = new TaklerServer(new TaklerServerOptions { Port = port, LoopbackOnly = true, Home = home.Path, Storage = true }))
        {
            var failure = await Assert.ThrowsAsync<StorageException>(() => server.StartAsync());
            Assert.Contains("takler.db", failure.Message, StringComparison.Ordinal);
        }

        // Another server (here a plain listener) can have the port at once.
        var again = new TcpListener(IPAddress.Loopback, port);
        again.Start();
        again.Stop();
    }
}
