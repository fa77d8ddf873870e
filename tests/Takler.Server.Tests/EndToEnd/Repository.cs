namespace Takler.Server.Tests.EndToEnd;

/// <summary>Finds the repository's files from the test binaries: the root holds Takler.slnx.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The installed `takler_client` (scripts/install-cli.sh, run by scripts/setup.sh).</summary>
    public static string ToolsBin
    {
        get
        {
            var bin = Path.Combine(Root, ".tools", "bin");
            if (!File.Exists(Path.Combine(bin, "takler_client")))
            {
                throw new InvalidOperationException($"takler_client is not installed in {bin}: run scripts/install-cli.sh (./test.sh does)");
            }

            return bin;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Takler.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Takler.slnx) above " + AppContext.BaseDirectory);
    }
}
