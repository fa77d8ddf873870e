using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Nodes;
using Takler.Server.Engine;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Tests.Engine;

public class QueryReplicaTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Before_the_loop_has_run_a_batch_a_query_reads_the_live_tree_without_waiting_for_the_copy()
    {
        var batchesAsked = 0;
        var (live, replica) = Restored(() => Interlocked.Increment(ref batchesAsked) > 0);
        using (replica)
        {
            // A copy being read and no loop: the answer needs neither; it comes from the live tree itself.
            _ = replica.Seed(RestoredSnapshot(), []);
            var step = await replica.ReadAsync(b => (b == live, b.GetNode("/f/t").Parameters[0].Value), CancellationToken.None).WaitAsync(Patience);

            Assert.Equal((true, "7"), step);
            Assert.Equal(0, batchesAsked);
        }
    }

    [Fact]
    public async Task The_loop_begins_only_once_the_queries_reading_the_live_tree_have_ended()
    {
        var (_, replica) = Restored(() => true);
        using (replica)
        {
            var queryRuns = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var queryMayEnd = new ManualResetEventSlim();
            var query = replica.ReadAsync(
                b =>
                {
                    queryRuns.SetResult();
                    queryMayEnd.Wait(Patience);
                    return b.GetNode("/f/t").Name;
                },
                CancellationToken.None);
            await queryRuns.Task.WaitAsync(Patience);

            var loopBegins = Task.Run(replica.LoopBegins);
            Assert.True(SpinWait.SpinUntil(() => replica.LoopWaitsForLiveReads, Patience));
            Assert.False(loopBegins.IsCompleted);

            queryMayEnd.Set();
            await loopBegins.WaitAsync(Patience);
            Assert.Equal("t", await query.WaitAsync(Patience));
        }
    }

    [Fact]
    public async Task Once_the_loop_has_begun_a_query_waits_for_its_next_publication()
    {
        var batchesAsked = 0;
        var (live, replica) = Restored(() => Interlocked.Increment(ref batchesAsked) > 0);
        using (replica)
        {
            replica.LoopBegins();
            live.FindFlow("f")!.AddTask("u"); // a batch's change of shape, as the loop's observer hears of it
            ((INodeObserver)replica).TreeChanged(live.FindFlow("f"));

            var read = replica.ReadAsync(b => (b != live, b.FindNode("/f/u") is not null), CancellationToken.None);
            Assert.Equal(1, batchesAsked);
            Assert.False(read.IsCompleted);

            replica.Publish(Task.CompletedTask); // the loop's end of that batch
            Assert.Equal((true, true), await read.WaitAsync(Patience));
        }
    }

    [Fact]
    public async Task A_copy_whose_read_failed_is_rebuilt_from_the_loop()
    {
        using var asked = new SemaphoreSlim(0);
        var (live, replica) = Restored(() => asked.Release() >= 0);
        using (replica)
        {
            _ = replica.Seed("{\"not\": \"a snapshot\"}"u8.ToArray(), []);
            replica.LoopBegins();

            var read = replica.ReadAsync(b => (b != live, b.GetNode("/f/t").Parameters[0].Value), CancellationToken.None);
            Assert.True(await asked.WaitAsync(Patience));
            replica.Publish(Task.CompletedTask); // the changes since the seed: nothing the failed copy could take
            Assert.True(await asked.WaitAsync(Patience)); // so the copy is dropped, and the loop asked for a snapshot
            replica.Publish(Task.CompletedTask);
            Assert.Equal((true, "7"), await read.WaitAsync(Patience));
        }
    }

    /// <summary>A live tree read from a snapshot, and its query copy (not seeded).</summary>
    private static (Bunch Live, QueryReplica Replica) Restored(Func<bool> requestBatch)
    {
        var live = SnapshotReader.ReadBunch(RestoredSnapshot());
        return (live, new QueryReplica(live, requestBatch));
    }

    private static byte[] RestoredSnapshot()
    {
        var bunch = new Bunch();
        bunch.AddFlow(new Flow("f")).AddTask("t").AddParameter("STEP", "7");
        return SnapshotWriter.ToBytes(bunch);
    }
}
