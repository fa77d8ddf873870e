using System.Net;
using System.Net.Sockets;
using Takler.Protocol;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;
using Takler.Server.Hosting;
using Takler.Server.Storage;
using Takler.Server.Tests.Storage;
using Takler.Server.Tests.Transport;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Tests.Hosting;

/// <summary>
/// The server opens its port while it restores: a call that arrives meanwhile waits for the restored state, and a
/// failed restore lets the port go again.
/// </summary>
public class ListenWhileRestoringTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_call_that_arrives_during_the_restore_waits_and_reads_the_restored_state()
    {
        using var home = new TempDirectory();
        await using (var first = Server(home.Path, port: 0))
        {
            new TaklerServerFlows(first.Bunch).Chain("f", 3);
            await first.StartAsync();
        }

        var port = ServerProcess.FreePort();
        await using var second = Server(home.Path, port);
        var restoring = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        second.RestoreStarting = () =>
        {
            restoring.TrySetResult();
            release.Task.Wait(Patience); // the restore is held here until the call waits
        };
        second.CallWaitsForRestore = () => waiting.TrySetResult();

        var started = Task.Run(() => second.StartAsync());
        await restoring.Task.WaitAsync(Patience);
        await second.Listening!.WaitAsync(Patience);
        using var channel = GrpcChannel.ForHost("127.0.0.1", port);
        var client = new TaklerServerClient(channel.CreateCallInvoker());
        var status = client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t3" });

        await waiting.Task.WaitAsync(Patience); // accepted, not refused, and held before the state is there
        Assert.False(status.IsCompleted);
        release.TrySetResult();

        Assert.Equal(Protocol.NodeStatus.Unknown, (await status.WaitAsync(Patience)).Status);
        await started.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_restore_that_fails_lets_the_port_go()
    {
        using var home = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(home.Path, "takler.db"), "not a database, and longer than SQLite's header of one hundred bytes: " + new string('x', 200));
        var port = ServerProcess.FreePort();

        await using (var server = Server(home.Path, port))
        {
            var failure = await Assert.ThrowsAsync<StorageException>(() => server.StartAsync());
            Assert.Contains("takler.db", failure.Message, StringComparison.Ordinal);
        }

        // Another server (here a plain listener) can have the port at once.
        var again = new TcpListener(IPAddress.Loopback, port);
        again.Start();
        again.Stop();
    }

    private static TaklerServer Server(string home, int port) =>
        new(new TaklerServerOptions { Port = port, LoopbackOnly = true, Home = home, Storage = true });
}
