using Takler.Core;
using Takler.Core.Nodes;

namespace Takler.ServerHost;

/// <summary>Loads `--load` files: ecFlow `.def` text or Takler JSON, by content.</summary>
internal static class DefinitionFiles
{
    public static void LoadInto(Bunch bunch, string path)
    {
        if (!File.Exists(path))
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, $"{path}: no such file");
        }

        throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"{path}: loading definitions is not available yet");
    }
}
