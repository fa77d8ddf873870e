using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Nodes;
using Takler.Server.Engine;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Tests.Engine;

public class QueryReplicaTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_restored_copy_answers_before_the_loop_has_run_a_batch()
    {
        var batchesAsked = 0;
        using var replica = Restored(() => Interlocked.Increment(ref batchesAsked) > 0).Replica;

        // No loop runs here: the answer must not need one.
        var step = await replica.ReadAsync(b => b.GetNode("/f/t").Parameters[0].Value, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal("7", step);
        Assert.Equal(0, batchesAsked);
    }

    [Fact]
    public async Task Once_the_loop_has_begun_a_query_waits_for_its_next_publication()
    {
        var batchesAsked = 0;
        var restored = Restored(() => Interlocked.Increment(ref batchesAsked) > 0);
        var live = restored.Live;
        using var replica = restored.Replica;
        replica.LoopBegins();
        live.FindFlow("f")!.AddTask("u"); // a batch's change of shape, as the loop's observer hears of it
        ((INodeObserver)replica).TreeChanged(live.FindFlow("f"));

        var read = replica.ReadAsync(b => b.FindNode("/f/u") is not null, CancellationToken.None);
        Assert.Equal(1, batchesAsked);
        Assert.False(read.IsCompleted);

        replica.Publish(Task.CompletedTask); // the loop's end of that batch
        Assert.True(await read.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_copy_whose_read_failed_is_rebuilt_from_the_loop_even_before_its_first_batch()
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var replica = Restored(() => asked.TrySetResult(), seed: "{\"not\": \"a snapshot\"}"u8.ToArray()).Replica;

        var read = replica.ReadAsync(b => b.GetNode("/f/t").Parameters[0].Value, CancellationToken.None);
        await asked.Task.WaitAsync(Patience); // the failed copy is dropped, and the loop asked for a snapshot
        replica.LoopBegins();
        replica.Publish(Task.CompletedTask);
        Assert.Equal("7", await read.WaitAsync(Patience));
    }

    /// <summary>A live tree read from a snapshot, and a query copy seeded from <paramref name="seed"/> (the same snapshot by default).</summary>
    private static (Bunch Live, QueryReplica Replica) Restored(Func<bool> requestBatch, byte[]? seed = null)
    {
        var snapshot = RestoredSnapshot();
        var live = SnapshotReader.ReadBunch(snapshot);
        var replica = new QueryReplica(live, requestBatch);
        _ = replica.StartSeed(seed ?? snapshot);
        replica.Seed([]);
        return (live, replica);
    }

    private static byte[] RestoredSnapshot()
    {
        var bunch = new Bunch();
        bunch.AddFlow(new Flow("f")).AddTask("t").AddParameter("STEP", "7");
        return SnapshotWriter.ToBytes(bunch);
    }
}
