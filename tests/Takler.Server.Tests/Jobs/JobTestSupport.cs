using System.Diagnostics;
using Takler.Server.Jobs;

namespace Takler.Server.Tests.Jobs;

/// <summary>A temporary folder, removed on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("takler-jobs-").FullName;
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Writes a file (creating its folders) and returns its full path.</summary>
    public string Write(string relative, string content)
    {
        var path = this[relative];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes an executable script (mode 0755).</summary>
    public string WriteExecutable(string relative, string content)
    {
        var path = Write(relative, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }

        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class JobTestSupport
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static JobVariables Vars(params (string Name, string Value)[] pairs) =>
        new(pairs.ToDictionary(p => p.Name, p => p.Value));

    public static Dictionary<string, string> Dict(params (string Name, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => p.Value);

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < (timeout ?? Timeout))
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return condition();
    }

    /// <summary>Waits for a file to exist and to end with a newline (its writer finished the line).</summary>
    public static async Task<string> WaitForFileAsync(string path, string? containing = null)
    {
        var found = await WaitUntilAsync(() =>
        {
            if (!File.Exists(path))
            {
                return false;
            }

            var text = File.ReadAllText(path);
            return text.EndsWith('\n') && (containing is null || text.Contains(containing, StringComparison.Ordinal));
        });
        Assert.True(found, $"{path} did not appear{(containing is null ? string.Empty : $" with '{containing}'")} within {Timeout}");
        return File.ReadAllText(path);
    }

    /// <summary>True when the process no longer runs (gone, or a zombie nobody has reaped yet).</summary>
    public static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is 'Z' or 'X';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>The command lines of the live processes in process group <paramref name="pgid"/>.</summary>
    public static List<string> CommandsInGroup(int pgid)
    {
        var commands = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] is not ("Z" or "X") && fields[2] == pgid.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    commands.Add(File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim());
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
            {
                // Not a process, or gone meanwhile.
            }
        }

        return commands;
    }

    /// <summary>The repository root (the folder holding Takler.slnx).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Takler.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Takler.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A fake command on a PATH of its own that appends its arguments to a log, then runs <paramref name="body"/>.</summary>
    public static string FakeCommand(TempDirectory dir, string name, string body = "") =>
        dir.WriteExecutable($"bin/{name}", $"#!/bin/sh\necho \"$*\" >> \"{dir[$"{name}.log"]}\"\n{body}\n");

    /// <summary>Options whose PATH starts with <paramref name="dir"/>/bin.</summary>
    public static JobRunnerOptions OptionsWithPath(TempDirectory dir, int maxConcurrent = 32, TimeSpan? commandTimeout = null) => new()
    {
        MaxConcurrentSubmissions = maxConcurrent,
        CommandTimeout = commandTimeout ?? TimeSpan.FromSeconds(30),
        Environment = new Dictionary<string, string>
        {
            ["PATH"] = $"{dir["bin"]}:{Environment.GetEnvironmentVariable("PATH")}",
        },
    };

    /// <summary>A request for task <paramref name="path"/> whose job goes under <paramref name="home"/>.</summary>
    public static JobRequest Request(string home, string path, params (string Name, string Value)[] extra)
    {
        var variables = new Dictionary<string, string>
        {
            ["TAKLER_HOME"] = home,
            ["TAKLER_HOST"] = "localhost",
            ["TAKLER_PORT"] = "33083",
            ["TAKLER_JOB"] = $"{home}{path}.job1",
            ["TAKLER_JOBOUT"] = $"{home}{path}.1",
            ["TASK"] = path[(path.LastIndexOf('/') + 1)..],
        };
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }

        return new JobRequest(path, 1, "secret", variables);
    }
}
