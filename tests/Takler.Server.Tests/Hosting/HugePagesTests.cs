using System.Runtime.InteropServices;
using Takler.Server.Hosting;

namespace Takler.Server.Tests.Hosting;

public class HugePagesTests
{
    private static readonly string[] Maps =
    [
        "55d0a0000000-55d0a0021000 r--p 00000000 fd:01 1234 /usr/bin/dotnet",
        "7f0000000000-7f0000400000 rw-p 00000000 00:00 0 ",
        "7f0000400000-7f4000000000 ---p 00000000 00:00 0",
        "7f4000000000-7f4000200000 rw-p 00000000 00:00 0",
        "7f4000200000-7f4000300000 r-xp 00000000 fd:01 99 /usr/lib/libc.so.6",
        "7f4000300000-7f4000400000 rw-p 00000000 00:00 0",
    ];

    [Fact]
    public void The_heap_range_is_the_run_of_adjacent_anonymous_mappings_around_an_address_in_it()
    {
        Assert.Equal((0x7f0000000000UL, 0x7f4000200000UL), HugePages.AnonymousRunAround(Maps, 0x7f0000500000));
        Assert.Equal((0x7f0000000000UL, 0x7f4000200000UL), HugePages.AnonymousRunAround(Maps, 0x7f40001fffff));

        // A mapping of a file ends the run; an address outside every anonymous mapping finds nothing.
        Assert.Equal((0x7f4000300000UL, 0x7f4000400000UL), HugePages.AnonymousRunAround(Maps, 0x7f4000300000));
        Assert.Equal((0UL, 0UL), HugePages.AnonymousRunAround(Maps, 0x55d0a0000010));
        Assert.Equal((0UL, 0UL), HugePages.AnonymousRunAround(Maps, 0x1000));
    }

    [Fact]
    public void Where_the_system_leaves_huge_pages_to_each_program_the_heap_asks_for_them()
    {
        const string setting = "/sys/kernel/mm/transparent_hugepage/enabled";
        var advised = HugePages.AdviseGarbageCollectedHeap();
        if (!OperatingSystem.IsLinux() || !File.Exists(setting) || !File.ReadAllText(setting).Contains("[madvise]", StringComparison.Ordinal))
        {
            Assert.Equal(0, advised); // nothing to ask for: the system decides alone
            return;
        }

        // The mapping holding a fresh object is marked "hg" (huge pages advised) in the kernel's view of this process.
        var probe = new byte[64];
        var handle = GCHandle.Alloc(probe, GCHandleType.Pinned);
        try
        {
            var address = (ulong)handle.AddrOfPinnedObject();
            Assert.True(advised > 0);
            Assert.Contains("hg", VmFlagsOfMappingHolding(address));
        }
        finally
        {
            handle.Free();
        }
    }

    private static string[] VmFlagsOfMappingHolding(ulong address)
    {
        var holds = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), System.Globalization.NumberStyles.HexNumber, null, out var start) &&
                ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), System.Globalization.NumberStyles.HexNumber, null, out var end))
            {
                holds = address >= start && address < end;
            }
            else if (holds && line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                return line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        return [];
    }
}
