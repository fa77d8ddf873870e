using System.Globalization;
using System.Runtime.InteropServices;

namespace Takler.Server.Hosting;

/// <summary>
/// Asks Linux to back the garbage collector's heap with transparent huge pages (2 MB) where the system leaves that to
/// each program (`/sys/kernel/mm/transparent_hugepage/enabled` set to `madvise`, Debian's default). A restart or a
/// load of a large tree writes a few hundred MB of fresh memory, and each first write to a 4 KB page is a page fault:
/// on a virtual machine they were most of a 100,000-task restart. With 2 MB pages there are 512 times fewer.
/// Elsewhere (not Linux, huge pages `always` or `never`) this does nothing.
/// </summary>
public static class HugePages
{
    private const int MadviseHugePage = 14; // MADV_HUGEPAGE

    /// <summary>Advises the heap's reserved address range; the number of bytes advised (0 when nothing was).</summary>
    public static long AdviseGarbageCollectedHeap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        try
        {
            if (!File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[madvise]", StringComparison.Ordinal))
            {
                return 0;
            }

            var probe = new byte[64];
            var handle = GCHandle.Alloc(probe, GCHandleType.Pinned);
            ulong address;
            try
            {
                address = (ulong)handle.AddrOfPinnedObject();
            }
            finally
            {
                handle.Free();
            }

            var (start, end) = AnonymousRunAround(File.ReadLines("/proc/self/maps"), address);
            if (end <= start || madvise((nint)start, (nuint)(end - start), MadviseHugePage) != 0)
            {
                return 0;
            }

            return (long)(end - start);
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>
    /// The address range of the adjacent anonymous mappings, in <paramref name="maps"/> (the lines of
    /// `/proc/self/maps`), around <paramref name="address"/>: the heap is one reservation, split into mappings as
    /// parts of it are committed. (0, 0) when no anonymous mapping holds the address.
    /// </summary>
    internal static (ulong Start, ulong End) AnonymousRunAround(IEnumerable<string> maps, ulong address)
    {
        ulong runStart = 0;
        ulong runEnd = 0;
        var found = false;
        foreach (var line in maps)
        {
            // "start-end perms offset dev inode [path]"; anonymous mappings have no path.
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var range = fields[0].Split('-');
            var start = ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var end = ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var anonymous = fields.Length == 5;
            if (anonymous && runEnd != 0 && start == runEnd)
            {
                runEnd = end; // the run goes on
            }
            else if (found)
            {
                break;
            }
            else
            {
                (runStart, runEnd) = anonymous ? (start, end) : (0UL, 0UL);
            }

            found |= anonymous && address >= start && address < end;
        }

        return found ? (runStart, runEnd) : (0, 0);
    }

    [DllImport("libc")]
    private static extern int madvise(nint address, nuint length, int advice);
}
