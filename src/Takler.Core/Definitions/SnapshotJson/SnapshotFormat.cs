namespace Takler.Core.Definitions.SnapshotJson;

/// <summary>
/// The header of our own lossless JSON: <c>{"format": "takler-dotnet-snapshot", "version": 1, "bunch": {...}}</c>
/// (or <c>"flow"</c> for a single flow). It holds every attribute of the model and all run-time state.
/// </summary>
public static class SnapshotFormat
{
    /// <summary>The value of the <c>format</c> key.</summary>
    public const string Name = "takler-dotnet-snapshot";

    /// <summary>The version this build writes and reads.</summary>
    public const int Version = 1;
}
