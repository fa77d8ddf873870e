namespace Takler.Client.Tests.TestSupport;

/// <summary>Finds shared/takler-compat (Takler's fixtures) by walking up from the test assembly.</summary>
public static class Fixtures
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "takler-compat");
            if (File.Exists(Path.Combine(candidate, "README.md")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"cannot find shared/takler-compat above {AppContext.BaseDirectory}");
    });

    public static string PathOf(string name) => Path.Combine(LazyRoot.Value, name);
}
