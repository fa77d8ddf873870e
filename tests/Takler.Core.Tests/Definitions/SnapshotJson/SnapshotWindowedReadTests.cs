using System.Text;
using System.Text.Json.Nodes;
using Takler.Core.Attributes;
using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Nodes;

namespace Takler.Core.Tests.Definitions.SnapshotJson;

/// <summary>A snapshot read from a stream a window at a time (a restart): the tree and the errors of a whole-document read.</summary>
public class SnapshotWindowedReadTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(4096)]
    public void Every_window_reads_the_same_tree(int window)
    {
        var bytes = SnapshotWriter.ToBytes(SnapshotTrees.Everything());

        var restored = SnapshotReader.ReadBunch(new TrickleStream(bytes), window);

        Assert.Equal(bytes, SnapshotWriter.ToBytes(restored));
        Assert.NotEmpty(((Core.Nodes.Task)restored.GetNode("/main/fam/run")).HeldLimits);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(64)]
    public void Keys_in_any_order_read_the_same_tree_through_a_small_window(int window)
    {
        // Kind and name after the children, the body before the header: the reader goes back over what it passed.
        var original = SnapshotWriter.ToBytes(SnapshotTrees.Everything());
        var reversed = Encoding.UTF8.GetBytes(SnapshotStreamingReadTests.Reverse(JsonNode.Parse(original)!)!.ToJsonString());

        var restored = SnapshotReader.ReadBunch(new TrickleStream(reversed), window);

        Assert.Equal(Encoding.UTF8.GetString(original), Encoding.UTF8.GetString(SnapshotWriter.ToBytes(restored)));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.99)]
    [InlineData(0.01)]
    public void A_truncated_stream_is_not_valid_json(double fraction)
    {
        var bytes = SnapshotWriter.ToBytes(SnapshotTrees.Everything());
        var target = new Bunch("elsewhere", 1, "/home");
        var mine = target.AddFlow(new Flow("main"));

        var e = Assert.Throws<TaklerException>(() => SnapshotReader.ReadInto(target, new MemoryStream(bytes, 0, (int)(bytes.Length * fraction))));

        Assert.StartsWith("snapshot is not valid json: ", e.Message, StringComparison.Ordinal);
        Assert.Same(mine, Assert.Single(target.Flows));
    }

    [Fact]
    public void A_mistake_is_reported_as_by_a_whole_document_read()
    {
        var text = Encoding.UTF8.GetString(SnapshotWriter.ToBytes(Large()));
        var damaged = Encoding.UTF8.GetBytes(text.Replace("\"name\":\"t250\",\"status\":\"queued\"", "\"name\":\"t250\",\"status\":\"rocket\"", StringComparison.Ordinal));

        var whole = Assert.Throws<TaklerException>(() => SnapshotReader.ReadBunch(damaged));
        var windowed = Assert.Throws<TaklerException>(() => SnapshotReader.ReadBunch(new MemoryStream(damaged)));

        Assert.Equal("snapshot /big/f0/t250: unknown status 'rocket'", whole.Message);
        Assert.Equal(whole.Message, windowed.Message);
    }

    [Fact]
    public void A_large_snapshot_is_read_through_a_window_that_never_grows()
    {
        var bytes = SnapshotWriter.ToBytes(Large());
        Assert.True(bytes.Length > 4 * SnapshotParser.DefaultWindowSize, $"{bytes.Length} bytes");

        var parser = new SnapshotParser(new MemoryStream(bytes));
        var flows = parser.ReadBunchDocument(withServer: true).Flows;

        Assert.Equal(SnapshotParser.DefaultWindowSize, parser.WindowSize);
        Assert.Equal(6000, flows.Single().SelfAndDescendants().OfType<Core.Nodes.Task>().Count());
        Assert.Equal(bytes, SnapshotWriter.ToBytes(SnapshotReader.ReadBunch(new MemoryStream(bytes))));
    }

    /// <summary>Twenty families of 300 tasks with repeats, events, meters and labels (about 1.8 MB).</summary>
    private static Bunch Large()
    {
        var bunch = new Bunch();
        var flow = bunch.AddFlow(new Flow("big"));
        for (var f = 0; f < 20; f++)
        {
            var family = flow.AddFamily("f" + f);
            family.AddRepeat(new RepeatInteger("N", 0, 10, 1));
            for (var t = 0; t < 300; t++)
            {
                var task = family.AddTask("t" + t);
                task.AddEvent("ready").AddMeter(new Meter("progress", 0, 100)).AddLabel("info", "label " + t);
                if (t > 0)
                {
                    task.AddTrigger($"t{t - 1} == complete");
                }
            }
        }

        new Operations(bunch, new TestClock()).Begin(null);
        return bunch;
    }

    /// <summary>A stream that gives at most 3 bytes per read, as a decompressor may.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 3));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 3)]);
    }
}
