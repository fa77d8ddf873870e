using System.Net;
using System.Net.Sockets;
using Takler.Server.Hosting;
using Takler.Server.Storage;
using Takler.Server.Tests.Storage;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Tests.Hosting;

/// <summary>The server listens before it restores: a port in use is told at once, and a failed restore lets the port go.</summary>
public class StartOrderTests
{
    [Fact]
    public async Task A_port_in_use_is_told_before_the_state_database_is_read()
    {
        using var home = new TempDirectory();
        var database = Path.Combine(home.Path, "takler.db");
        await File.WriteAllBytesAsync(database, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray());
        var before = await File.ReadAllBytesAsync(database);
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;
            await using var server = new TaklerServer(new TaklerServerOptions { Port = port, LoopbackOnly = true, Home = home.Path, Storage = true });

            // A damaged database is refused too, but only once the port is the server's: the port comes first.
            var failure = await Assert.ThrowsAsync<PortInUseException>(() => server.StartAsync());
            Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Message, StringComparison.Ordinal);
            Assert.Equal(before, await File.ReadAllBytesAsync(database));
        }
        finally
        {
            taken.Stop();
        }
    }

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
