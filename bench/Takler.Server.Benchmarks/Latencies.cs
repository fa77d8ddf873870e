using System.Diagnostics;
using System.Globalization;

namespace Takler.Server.Benchmarks;

/// <summary>Latency samples in <see cref="Stopwatch"/> ticks, and their percentiles.</summary>
internal sealed class Latencies
{
    private readonly List<long> _ticks = [];

    public int Count => _ticks.Count;

    public void Add(long ticks) => _ticks.Add(ticks);

    public void AddRange(Latencies other) => _ticks.AddRange(other._ticks);

    /// <summary>The <paramref name="p"/>-th percentile (0-100) in microseconds.</summary>
    public double Percentile(double p)
    {
        if (_ticks.Count == 0)
        {
            return double.NaN;
        }

        _ticks.Sort();
        var index = (int)Math.Min(_ticks.Count - 1, Math.Ceiling(p / 100 * _ticks.Count) - 1);
        return _ticks[Math.Max(0, index)] * 1e6 / Stopwatch.Frequency;
    }

    public static string Micros(double value) => value >= 1000
        ? (value / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " ms"
        : value.ToString("0", CultureInfo.InvariantCulture) + " µs";
}
