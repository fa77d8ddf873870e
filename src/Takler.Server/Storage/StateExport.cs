using System.Text;
using Takler.Core.Definitions;
using Takler.Core.Definitions.SnapshotJson;
using Takler.Core.Nodes;

namespace Takler.Server.Storage;

/// <summary>The server's state in forms people and other tools read: an ecFlow `.def` with state, or our lossless JSON.</summary>
public static class StateExport
{
    /// <summary>The flows as ecFlow checkpoint text (`.def` with `# state:...` and attribute values).</summary>
    public static string ToDef(Bunch bunch) => DefsWriter.ToText(bunch.Flows, new DefsWriterOptions { IncludeState = true });

    /// <summary>The whole bunch as our lossless snapshot JSON (what the state database stores), indented for reading.</summary>
    public static string ToJson(Bunch bunch) => Encoding.UTF8.GetString(SnapshotWriter.ToBytes(bunch, indented: true));
}
