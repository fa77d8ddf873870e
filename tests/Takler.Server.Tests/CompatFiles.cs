namespace Takler.Server.Tests;

/// <summary>Takler's recorded fixtures (<c>shared/takler-compat</c>), found by walking up from the test binaries.</summary>
internal static class CompatFiles
{
    private static readonly Lazy<string> LazyDirectory = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "takler-compat");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/takler-compat was not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The full path of a fixture file, e.g. <c>server_session.load.json</c>.</summary>
    public static string PathOf(string fileName) => Path.Combine(LazyDirectory.Value, fileName);
}
