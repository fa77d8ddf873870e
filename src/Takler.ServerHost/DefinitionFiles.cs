using Takler.Core.Definitions;
using Takler.Core.Nodes;

namespace Takler.ServerHost;

/// <summary>Loads `--load` files: ecFlow `.def` text or Takler JSON, by content.</summary>
internal static class DefinitionFiles
{
    public static void LoadInto(Bunch bunch, string path) => DefinitionLoader.LoadFile(bunch, path);
}
