using System.Diagnostics;
using System.Globalization;

namespace Takler.Bench.Tests;

/// <summary>
/// bench/run.sh --quick: every workload of the end-to-end suite at tiny sizes, so the suite never rots. ecFlow is
/// measured too when it is installed; the figures for us must all be there either way.
/// </summary>
public sealed class RunScriptTests
{
    [Fact]
    public async Task Quick_run_gives_every_workload_a_figure_for_us()
    {
        var repo = RepositoryRoot();
        var output = Path.Combine(Path.GetTempPath(), $"takler-bench-quick-{Guid.NewGuid():N}.md");
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = repo,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["bench/run.sh", "--quick", "--no-install", "--no-build", "--out", output])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"bench/run.sh --quick took more than 3 minutes:\n{await stderr}");
        }

        var log = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"bench/run.sh --quick exited {process.ExitCode}:\n{log}");
        var section = await File.ReadAllTextAsync(output);
        File.Delete(output);

        Assert.StartsWith("## Issue 9 — ", section, StringComparison.Ordinal);
        var rows = section.Split('\n')
            .Where(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| workload ", StringComparison.Ordinal))
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .ToList();
        Assert.True(rows.Count >= 18, $"expected a row per measure:\n{section}");
        var missing = rows
            .Where(cells => !double.TryParse(cells[4], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            .Select(cells => $"{cells[1]}: {cells[2]} = '{cells[4]}'")
            .ToList();
        Assert.True(missing.Count == 0, $"no figure for us:\n{string.Join('\n', missing)}\n{section}\n{log}");
        foreach (var workload in (string[])["1. ", "2. ", "3. ", "4. ", "5. ", "6. "])
        {
            Assert.Contains(rows, cells => cells[1].StartsWith(workload, StringComparison.Ordinal));
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Takler.slnx")) && File.Exists(Path.Combine(dir.FullName, "bench", "run.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no repository above {AppContext.BaseDirectory}");
    }
}
