namespace Takler.Core.Tests.Definitions;

/// <summary>Finds ecFlow's parser corpus (`shared/ecflow-defs`) by walking up from the test assembly.</summary>
internal static class DefsCorpus
{
    private static readonly Lazy<string?> LazyRoot = new(Find);

    /// <summary>The corpus folder, or null when it cannot be found.</summary>
    public static string? Root => LazyRoot.Value;

    /// <summary>Files under `good_defs` or `bad_defs`, relative to <see cref="Root"/>, sorted.</summary>
    public static TheoryData<string> Files(string folder)
    {
        var data = new TheoryData<string>();
        var root = Root ?? throw new DirectoryNotFoundException(
            $"cannot find shared/ecflow-defs above {AppContext.BaseDirectory}; the corpus is expected beside the repository");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }

        return data;
    }

    public static string PathOf(string relative) => Path.Combine(Root!, relative);

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "ecflow-defs");
            if (Directory.Exists(Path.Combine(candidate, "good_defs")))
            {
                return candidate;
            }
        }

        return null;
    }
}
