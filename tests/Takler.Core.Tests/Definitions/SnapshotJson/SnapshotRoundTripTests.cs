using System.Diagnostics;
using System.Text;
using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Definitions.TaklerJson;
using Takler.Core.Nodes;
using Takler.Core.Visitors;
using Xunit.Abstractions;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Definitions.SnapshotJson;

public class SnapshotRoundTripTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_read_write_gives_the_same_bytes(bool indented)
    {
        var first = SnapshotWriter.ToBytes(SnapshotTrees.Everything(), indented);

        var second = SnapshotWriter.ToBytes(SnapshotReader.ReadBunch(first), indented);

        Assert.Equal(Encoding.UTF8.GetString(first), Encoding.UTF8.GetString(second));
    }

    [Fact]
    public void The_snapshot_starts_with_its_format_and_version()
    {
        var text = Encoding.UTF8.GetString(SnapshotWriter.ToBytes(new Bunch()));

        Assert.StartsWith("{\"format\":\"takler-dotnet-snapshot\",\"version\":1,\"bunch\":{", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_restored_tree_equals_the_original_in_its_key_fields()
    {
        var original = SnapshotTrees.Everything();

        var restored = SnapshotReader.ReadBunch(SnapshotWriter.ToBytes(original));

        Assert.Equal(original.Host, restored.Host);
        Assert.Equal(original.Port, restored.Port);
        Assert.Equal(original.Home, restored.Home);
        Assert.Equal(original.ServerParameters, restored.ServerParameters);
        Assert.Equal(TaklerJsonWriter.WriteBunch(original), TaklerJsonWriter.WriteBunch(restored));
        Assert.Equal(PrintVisitor.ToText(original, PrintOptions.All with { LiveGeneratedValues = true }), PrintVisitor.ToText(restored, PrintOptions.All with { LiveGeneratedValues = true }));
        var pairs = original.AllNodes().Zip(restored.AllNodes()).ToList();
        Assert.Equal(original.AllNodes().Count(), restored.AllNodes().Count());
        foreach (var (a, b) in pairs)
        {
            Assert.Equal(a.Path, b.Path);
            Assert.Equal(a.GetType(), b.GetType());
            Assert.Equal(a.Status, b.Status);
            Assert.Equal(a.Suspended, b.Suspended);
            Assert.Equal(a.IsLate, b.IsLate);
            Assert.Equal(a.DefaultStatus, b.DefaultStatus);
            Assert.Equal(a.Late, b.Late);
            Assert.Equal(a.Parameters, b.Parameters);
            Assert.Equal(a.InLimits, b.InLimits);
            Assert.Equal(a.KeptAttributes, b.KeptAttributes);
            Assert.Equal(a.Events.Select(e => (e.Name, e.Number, e.InitialValue, e.Value)), b.Events.Select(e => (e.Name, e.Number, e.InitialValue, e.Value)));
            Assert.Equal(a.Meters.Select(m => (m.Name, m.Min, m.Max, m.Threshold, m.Value)), b.Meters.Select(m => (m.Name, m.Min, m.Max, m.Threshold, m.Value)));
            Assert.Equal(a.Labels.Select(l => (l.Name, l.DefaultText, l.Text)), b.Labels.Select(l => (l.Name, l.DefaultText, l.Text)));
            Assert.Equal(a.Limits.Select(l => (l.Name, l.Max, l.Value, string.Join(',', l.Holders))), b.Limits.Select(l => (l.Name, l.Max, l.Value, string.Join(',', l.Holders))));
            Assert.Equal(a.Trigger?.Parts, b.Trigger?.Parts);
            Assert.Equal(a.Trigger?.Free, b.Trigger?.Free);
            Assert.Equal(a.Complete?.Parts, b.Complete?.Parts);
            Assert.Equal(a.Complete?.Free, b.Complete?.Free);
            Assert.Equal(a.Repeat?.DefinitionText, b.Repeat?.DefinitionText);
            Assert.Equal(a.Repeat?.Position, b.Repeat?.Position);
            Assert.Equal(a.Repeat?.IsExhausted, b.Repeat?.IsExhausted);
            Assert.Equal(a.Times.Select(t => (t.Series, t.IsToday, t.Free, t.NextSlot, t.LastFired)), b.Times.Select(t => (t.Series, t.IsToday, t.Free, t.NextSlot, t.LastFired)));
            Assert.Equal(a.Dates.Select(d => (d.Day, d.Month, d.Year, d.Free)), b.Dates.Select(d => (d.Day, d.Month, d.Year, d.Free)));
            Assert.Equal(a.Days.Select(d => (d.Day, d.Free)), b.Days.Select(d => (d.Day, d.Free)));
            Assert.Equal(a.Crons.Select(c => (c.ToString(), c.Free, c.NextSlot, c.LastFired)), b.Crons.Select(c => (c.ToString(), c.Free, c.NextSlot, c.LastFired)));
            Assert.Equal(a.Crons.Select(c => c.LastFired?.Kind), b.Crons.Select(c => c.LastFired?.Kind));
            if (a is Task ta && b is Task tb)
            {
                Assert.Equal((ta.TaskId, ta.AbortedReason, ta.TryNo, ta.Password), (tb.TaskId, tb.AbortedReason, tb.TryNo, tb.Password));
                Assert.Equal((ta.SubmittedAt, ta.ActiveAt, ta.FinishedAt, ta.AbortedByOperator), (tb.SubmittedAt, tb.ActiveAt, tb.FinishedAt, tb.AbortedByOperator));
                Assert.Equal(ta.HeldLimits.Select(l => l.Name), tb.HeldLimits.Select(l => l.Name));
                Assert.Equal((ta as ShellScriptTask)?.ScriptPath, (tb as ShellScriptTask)?.ScriptPath);
            }

            if (a is Flow fa && b is Flow fb)
            {
                Assert.Equal((fa.Begun, fa.Clock, fa.EndClock), (fb.Begun, fb.Clock, fb.EndClock));
                var (ca, cb) = (fa.Calendar, fb.Calendar);
                Assert.Equal((ca.InitialTime, ca.FlowTime, ca.Duration, ca.Increment, ca.InitialRealTime, ca.LastRealTime), (cb.InitialTime, cb.FlowTime, cb.Duration, cb.Increment, cb.InitialRealTime, cb.LastRealTime));
            }
        }
    }

    [Fact]
    public void The_test_tree_really_holds_run_time_state()
    {
        var bunch = SnapshotTrees.Everything();
        var run = (Task)bunch.GetNode("/main/fam/run");

        Assert.Equal(NodeStatus.Submitted, run.Status);
        Assert.Equal(2, run.TryNo);
        Assert.NotEmpty(run.HeldLimits);
        Assert.True(bunch.FindFlow("main")!.Begun);
        Assert.Equal(3, bunch.FindFlow("main")!.FindLimit("total")!.Value);
        Assert.True(bunch.GetNode("/main/other/daily").Suspended);
    }

    [Fact]
    public void Restore_writes_state_as_it_was_without_recomputing_or_requeueing()
    {
        var bunch = SnapshotTrees.Everything();
        var fam = (Family)bunch.GetNode("/main/fam");
        fam.RestoreStatus(NodeStatus.Complete); // inconsistent with its submitted children on purpose
        var limit = bunch.FindFlow("main")!.FindLimit("total")!;
        limit.RestoreUsage(limit.Holders, 99);

        var restored = SnapshotReader.ReadBunch(SnapshotWriter.ToBytes(bunch));

        Assert.Equal(NodeStatus.Complete, restored.GetNode("/main/fam").Status);
        Assert.Equal(NodeStatus.Submitted, restored.GetNode("/main/fam/run").Status);
        Assert.Equal(99, restored.FindFlow("main")!.FindLimit("total")!.Value);
        Assert.Null(restored.Observer);
    }

    [Fact]
    public void Restored_tasks_release_the_tokens_they_held()
    {
        var restored = SnapshotReader.ReadBunch(SnapshotWriter.ToBytes(SnapshotTrees.Everything()));
        var total = restored.FindFlow("main")!.FindLimit("total")!;
        var post = (Task)restored.GetNode("/main/fam/post");
        Assert.True(total.IsHeldBy(post.Path));

        new Operations(restored, TimeProvider.System).Abort(post.Path, "stop");

        Assert.False(total.IsHeldBy(post.Path));
    }

    [Fact]
    public void A_single_flow_round_trips()
    {
        var flow = SnapshotTrees.Everything().FindFlow("main")!;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        SnapshotWriter.Write(flow, buffer);

        var restored = SnapshotReader.ReadFlow(buffer.WrittenMemory);

        Assert.Equal(buffer.WrittenSpan.ToArray(), SnapshotWriter.ToBytes(restored));
        Assert.NotEmpty(((Task)restored.Resolve("/main/fam/run")!).HeldLimits);
    }

    [Fact]
    public void Stream_overloads_round_trip()
    {
        var bunch = SnapshotTrees.Everything();
        using var stream = new MemoryStream();
        SnapshotWriter.Write(bunch, stream);
        stream.Position = 0;

        var restored = SnapshotReader.ReadBunch(stream);

        Assert.Equal(stream.ToArray(), SnapshotWriter.ToBytes(restored));
    }

    [Fact]
    public void A_hundred_thousand_task_tree_round_trips_exactly()
    {
        var bunch = SnapshotTrees.Large(1000, 100);
        SnapshotReader.ReadBunch(SnapshotWriter.ToBytes(SnapshotTrees.Large(10, 10))); // warm up

        var watch = Stopwatch.StartNew();
        var bytes = SnapshotWriter.ToBytes(bunch);
        var write = watch.Elapsed;
        watch.Restart();
        var restored = SnapshotReader.ReadBunch(bytes);
        var read = watch.Elapsed;
        watch.Restart();
        var payload = TaklerJsonWriter.WriteBunch(restored);
        var taklerWrite = watch.Elapsed;
        watch.Restart();
        TaklerJsonReader.ReadBunch(payload);
        var taklerRead = watch.Elapsed;

        output.WriteLine($"100k tasks: snapshot {bytes.Length / 1e6:F1} MB, write {write.TotalMilliseconds:F0} ms, read {read.TotalMilliseconds:F0} ms");
        output.WriteLine($"100k tasks: Takler JSON {payload.Length / 1e6:F1} MB, write {taklerWrite.TotalMilliseconds:F0} ms, read {taklerRead.TotalMilliseconds:F0} ms");
        Assert.Equal(100_000, restored.AllNodes().OfType<Task>().Count());
        Assert.Equal(bytes, SnapshotWriter.ToBytes(restored));
    }
}
