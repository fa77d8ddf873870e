using System.Runtime;

namespace Takler.Server.Hosting;

/// <summary>
/// A stretch of the server's start in which the garbage collector does not run: while a restore reads its trees (the
/// live one and the query copy) and the scheduling index is built. Everything allocated then lives on, so a
/// collection would only copy it from one generation to the next: about a fifth of a 100,000-task restart went
/// there. Past <see cref="BytesPerSnapshotByte"/> times the snapshot's size the window ends by itself (collections
/// resume as usual), and it ends anyway once the start is through (<see cref="Close"/>).
/// </summary>
internal sealed class NoCollectionWindow
{
    /// <summary>
    /// Bytes allowed per byte of snapshot JSON: each of the two trees takes about 2.5 times the JSON, the JSON itself
    /// and the scheduling index about as much again.
    /// </summary>
    public const int BytesPerSnapshotByte = 8;

    /// <summary>The most the window reserves: a larger start runs with collections beyond it.</summary>
    private const long MaxBytes = 2L << 30;

    private int _closed;

    private NoCollectionWindow()
    {
    }

    /// <summary>Opens a window for a snapshot of <paramref name="snapshotBytes"/>; null when the runtime declines.</summary>
    public static NoCollectionWindow? Open(long snapshotBytes)
    {
        var bytes = Math.Clamp(snapshotBytes * BytesPerSnapshotByte, 1L << 20, MaxBytes);
        try
        {
            return GC.TryStartNoGCRegion(bytes) ? new NoCollectionWindow() : null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // more than the runtime can set aside at once
        }
        catch (InvalidOperationException)
        {
            return null; // already in such a window
        }
    }

    /// <summary>Lets collections run again (once; from any thread).</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0 || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
        {
            return;
        }

        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The budget ran out just now and a collection already ended the window.
        }
    }
}
