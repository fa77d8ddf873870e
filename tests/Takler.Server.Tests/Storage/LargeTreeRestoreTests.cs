using System.Text;
using Takler.Core;
using Xunit.Abstractions;
using Takler.Core.Attributes;
using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Nodes;
using Takler.Server.Storage;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Tests.Storage;

public class LargeTreeRestoreTests(ITestOutputHelper output)
{
    [Fact]
    public void A_100k_task_tree_with_mixed_states_restores_exactly_from_snapshot_and_journal()
    {
        using var dir = new TempDirectory();
        var path = dir.File("takler.db");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var clock = new ManualClock(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var bunch = BigTree(families: 1_000, tasksPerFamily: 100);
        var ops = new Operations(bunch, clock);
        var random = new Random(42);
        var tasks = bunch.AllNodes().OfType<TaskNode>().ToArray();
        Assert.Equal(100_000, tasks.Length);

        long snapshots;
        long records;
        using (var store = SqliteStateStore.Open(path, StorageSynchronous.Normal))
        {
            var journal = new StateJournal(bunch, store, clock, new SnapshotPolicy { EveryRecords = 50_000, Every = TimeSpan.FromDays(1) });
            output.WriteLine($"tree built {watch.ElapsedMilliseconds} ms");
            journal.Snapshot();
            output.WriteLine($"first snapshot {watch.ElapsedMilliseconds} ms, {SnapshotWriter.ToBytes(bunch).Length} bytes");
            ops.Begin(null);
            journal.Commit(); // most of the tree changed: a snapshot
            output.WriteLine($"begun {watch.ElapsedMilliseconds} ms");
            for (var batch = 0; batch < 400; batch++)
            {
                for (var i = 0; i < 40; i++)
                {
                    Change(ops, tasks[random.Next(tasks.Length)], random, clock);
                }

                if (batch == 150)
                {
                    journal.RequestSnapshot(); // a checkpoint in the middle; the journal goes on after it
                }

                journal.Commit();
            }

            output.WriteLine($"changes {watch.ElapsedMilliseconds} ms, {journal.Snapshots} snapshots, {journal.Records} records");
            snapshots = journal.Snapshots;
            records = journal.Records;
        }

        Assert.Equal(3, snapshots); // start, begin, checkpoint
        Assert.True(records > 10_000, $"{records} records");
        var restored = new Bunch(bunch.Host, bunch.Port, bunch.Home);
        using (var store = SqliteStateStore.Open(path))
        {
            var what = store.Restore(restored);
            Assert.NotNull(what);
            Assert.True(what.Records > 0);
        }

        output.WriteLine($"restored {watch.ElapsedMilliseconds} ms");
        var expected = SnapshotWriter.ToBytes(bunch);
        var actual = SnapshotWriter.ToBytes(restored);
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
        }

        // Limit holders are linked again: a restored task releases its tokens when it ends.
        var task = restored.AllNodes().SelectMany(n => n.Limits).SelectMany(l => l.Holders.Keys)
            .Select(restored.GetNode).OfType<TaskNode>().First();
        Assert.NotEmpty(task.HeldLimits);
    }

    /// <summary>One random change through the operations, as commands and the scheduler make them.</summary>
    private static void Change(Operations ops, TaskNode task, Random random, ManualClock clock)
    {
        clock.Advance(TimeSpan.FromMilliseconds(random.Next(1, 500)));
        try
        {
            switch (task.Status)
            {
                case NodeStatus.Queued or NodeStatus.Aborted or NodeStatus.Complete:
                    if (random.Next(4) == 0)
                    {
                        ops.Suspend([task.Path]);
                    }
                    else if (random.Next(5) == 0)
                    {
                        ops.FreeDep(FreeDepKind.All, [task.Parent!.Path]);
                    }

                    ops.Submit(task, $"p{random.Next():x}");
                    break;
                case NodeStatus.Submitted:
                    ops.Init(task.Path, $"rid{random.Next(1000)}");
                    break;
                case NodeStatus.Active:
                    switch (random.Next(6))
                    {
                        case 0:
                            ops.SetEvent(task.Path, "e");
                            break;
                        case 1:
                            ops.SetMeter(task.Path, "m", random.Next(101));
                            break;
                        case 2:
                            ops.SetLabel(task.Path, "l", $"step \"{random.Next(100)}\"");
                            break;
                        case 3:
                            ops.CompleteTask(task.Path);
                            break;
                        case 4:
                            ops.Abort(task.Path, "exit 1");
                            break;
                        default:
                            ops.AbortByOperator(task, "killed");
                            break;
                    }

                    break;
            }
        }
        catch (TaklerException)
        {
            // A rejected command changes nothing.
        }
    }

    private static Bunch BigTree(int families, int tasksPerFamily)
    {
        var bunch = new Bunch("big.example", 4141, "/data/big");
        var flow = bunch.AddFlow(new Flow("big"));
        flow.AddLimit("all", 500);
        for (var f = 0; f < families; f++)
        {
            var family = flow.AddFamily("f" + f);
            if (f % 10 == 0)
            {
                family.AddLimit("few", 3);
                family.AddRepeat(new RepeatInteger("N", 1, 5, 1));
            }

            if (f % 7 == 0)
            {
                family.AddTime(new TimeAttribute(new TimeSeries(new TimeSpan(6, 0, 0))));
                family.AddInLimit(new InLimit("all", "/big", 1, limitFamilies: true));
            }

            for (var t = 0; t < tasksPerFamily; t++)
            {
                var task = family.AddTask("t" + t);
                task.AddEvent("e").AddMeter("m", 0, 100).AddLabel("l", "none");
                if (t > 0)
                {
                    task.AddTrigger("t" + (t - 1) + " == complete");
                }

                if (f % 10 == 0 && t % 2 == 0)
                {
                    task.AddInLimit("few");
                }

                if (t % 25 == 0)
                {
                    task.AddInLimit(new InLimit("all", "/big", 1));
                    task.AddCron(new CronAttribute(new TimeSeries(new TimeSpan(1, 0, 0), new TimeSpan(3, 0, 0), TimeSpan.FromHours(1))));
                }
            }
        }

        return bunch;
    }
}
