namespace Takler.Cli.Tests.TestSupport;

/// <summary>Finds shared/ (Takler's fixtures, ecFlow's .def corpus) by walking up from the test assembly.</summary>
public static class SharedFiles
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (File.Exists(Path.Combine(candidate, "takler-compat", "README.md")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"cannot find shared/ above {AppContext.BaseDirectory}");
    });

    public static string Compat(string name) => Path.Combine(LazyRoot.Value, "takler-compat", name);

    public static string Defs(string relative) => Path.Combine(LazyRoot.Value, "ecflow-defs", relative);

    /// <summary>The stdout block of the <paramref name="index"/>-th transcript entry whose command line ends with <paramref name="commandSuffix"/>.</summary>
    public static string TranscriptStdout(string commandSuffix, int index = 0)
    {
        var text = File.ReadAllText(Compat("server_session.transcript.txt"));
        var entries = text.Split("\n$ ", StringSplitOptions.None);
        var entry = entries.Where(e => e.Split('\n')[0].TrimStart('$', ' ').EndsWith(commandSuffix, StringComparison.Ordinal)).ElementAt(index);
        var start = entry.IndexOf("--- stdout\n", StringComparison.Ordinal) + "--- stdout\n".Length;
        var end = entry.IndexOf("--- stderr\n", StringComparison.Ordinal);
        return entry[start..end];
    }
}
