using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Takler.Scheduling.Benchmarks;

/// <summary>
/// Wall time and the CPU time of the calling thread (Linux `CLOCK_THREAD_CPUTIME_ID`). On a shared machine the wall
/// time includes waiting for a core; the thread CPU time is the work done.
/// </summary>
internal static partial class ThreadClock
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>Whether thread CPU time can be read here.</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && TryRead(out _);

    /// <summary>A reading of both clocks.</summary>
    public static (long Wall, long CpuNanoseconds) Now() => (Stopwatch.GetTimestamp(), Available && TryRead(out var ns) ? ns : 0);

    /// <summary>Milliseconds of wall and CPU time since <paramref name="start"/>.</summary>
    public static (double WallMs, double CpuMs) Since((long Wall, long CpuNanoseconds) start)
    {
        var end = Now();
        return (Stopwatch.GetElapsedTime(start.Wall, end.Wall).TotalMilliseconds, (end.CpuNanoseconds - start.CpuNanoseconds) / 1e6);
    }

    private static bool TryRead(out long nanoseconds)
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var ts) != 0)
        {
            nanoseconds = 0;
            return false;
        }

        nanoseconds = (ts.Seconds * 1_000_000_000L) + ts.Nanoseconds;
        return true;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec value);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
