using System.Runtime;
using Takler.Protocol;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;
using Takler.Server.Hosting;
using Takler.Server.Storage;
using Takler.Server.Tests.Transport;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Tests.Storage;

/// <summary>Alone: holding off collections is process-wide, and another test's restore would hold them off too.</summary>
[CollectionDefinition(nameof(RestoreWithoutCollectionsTests), DisableParallelization = true)]
public sealed class RestoreWithoutCollectionsCollection;

[Collection(nameof(RestoreWithoutCollectionsTests))]
public class RestoreWithoutCollectionsTests
{
    [Fact]
    public async Task A_restore_holds_collections_off_and_lets_them_run_again_once_both_trees_are_read()
    {
        using var home = new TempDirectory();
        await using (var first = Server(home.Path))
        {
            new TaklerServerFlows(first.Bunch).Chain("f", 50);
            await first.StartAsync();
            Assert.False(first.RestoredWithoutCollections); // nothing to restore
        }

        await using var second = Server(home.Path);
        await second.StartAsync();
        Assert.True(second.RestoredWithoutCollections);

        // The answer comes from the query copy, so its read is done; then the window closes.
        using var channel = GrpcChannel.ForHost("127.0.0.1", second.Port);
        var client = new TaklerServerClient(channel.CreateCallInvoker());
        Assert.Equal(Protocol.NodeStatus.Unknown, (await client.RequestStatusAsync(new StatusRequest { NodePath = "/f/t50" })).Status);
        await second.RestoreWindowClosed.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        var collections = GC.CollectionCount(0);
        GC.Collect(0);
        Assert.True(GC.CollectionCount(0) > collections);
    }

    [Fact]
    public async Task A_restore_that_fails_lets_collections_run_again()
    {
        using var home = new TempDirectory();
        await using (var first = Server(home.Path))
        {
            new TaklerServerFlows(first.Bunch).Chain("f", 2);
            await first.StartAsync();
        }

        // A snapshot that decompresses but is not a snapshot: the start is refused after the window opened.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(home.Path, "takler.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE snapshots SET data = $data";
            command.Parameters.AddWithValue("$data", StoredSnapshot.Encode("{\"format\":\"something else\"}"u8));
            command.ExecuteNonQuery();
        }

        await using var second = Server(home.Path);
        var e = await Assert.ThrowsAsync<StorageException>(() => second.StartAsync());

        Assert.Contains("damaged: snapshot", e.Message, StringComparison.Ordinal);
        Assert.True(second.RestoredWithoutCollections);
        await second.RestoreWindowClosed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    private static TaklerServer Server(string home) => new(
        new TaklerServerOptions
        {
            Port = 0,
            LoopbackOnly = true,
            Home = home,
            Interval = TimeSpan.FromHours(1),
            Storage = true,
            AuditLog = false,
        },
        new RecordingJobRunner());
}
