using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Nodes;
using Takler.Server.Storage;
using Takler.Server.Tests.Transport;

namespace Takler.Server.Tests.Storage;

public class StateExportTests
{
    [Fact]
    public void Export_gives_ecflow_checkpoint_text_and_our_snapshot_json_with_state()
    {
        var bunch = new Bunch();
        new TaklerServerFlows(bunch).Chain("f", 2);
        var ops = new Takler.Core.Operations(bunch, TimeProvider.System);
        ops.Begin("f");
        ops.Submit((Takler.Core.Nodes.Task)bunch.GetNode("/f/t1"), "pw");

        var def = StateExport.ToDef(bunch);
        var json = StateExport.ToJson(bunch);

        Assert.Contains("task t1", def, StringComparison.Ordinal);
        Assert.Contains("state:submitted", def, StringComparison.Ordinal);
        var restored = SnapshotReader.ReadBunch(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Equal(NodeStatus.Submitted, restored.GetNode("/f/t1").Status);
        Assert.Equal("pw", ((Takler.Core.Nodes.Task)restored.GetNode("/f/t1")).Password);
    }
}
