using Takler.Core;
using Takler.Core.Definitions;
using Takler.Core.Nodes;

namespace Takler.ServerHost;

/// <summary>Loads `--load` files: ecFlow `.def` text or Takler JSON, by content.</summary>
internal static class DefinitionFiles
{
    /// <summary>Loads <paramref name="path"/>; any failure is a <see cref="TaklerException"/> whose message names the file.</summary>
    public static void LoadInto(Bunch bunch, string path)
    {
        try
        {
            DefinitionLoader.LoadFile(bunch, path);
        }
        catch (TaklerException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new TaklerException(e.Code, $"{path}: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or FormatException or ArgumentException)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, $"{path}: {e.Message}", e);
        }
    }
}
