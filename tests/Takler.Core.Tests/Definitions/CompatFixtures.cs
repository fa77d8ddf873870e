using System.Text.Json;

namespace Takler.Core.Tests.Definitions;

/// <summary>The Takler fixtures in <c>shared/takler-compat</c>, found by walking up from the test binaries.</summary>
internal static class CompatFixtures
{
    private static readonly Lazy<string> LazyDirectory = new(Find);

    public static string Directory => LazyDirectory.Value;

    /// <summary>The fixture names: every <c>&lt;name&gt;.json</c> that has a show text beside it.</summary>
    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetFiles(Directory, "*.show.txt")
            .Select(f => Path.GetFileName(f)[..^".show.txt".Length])
            .Order(StringComparer.Ordinal);

    public static TheoryData<string> NameData() => new(Names());

    /// <summary>Every load file (<c>*.load.json</c>).</summary>
    public static TheoryData<string> LoadFileData() =>
        new(System.IO.Directory.GetFiles(Directory, "*.load.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    public static string Read(string fileName) => File.ReadAllText(System.IO.Path.Combine(Directory, fileName));

    /// <summary>The load files of a fixture, in the order its flows appear in the show payload.</summary>
    public static IReadOnlyList<string> LoadFiles(string name)
    {
        using var payload = JsonDocument.Parse(Read(name + ".json"));
        var files = new List<string>();
        foreach (var flow in payload.RootElement.GetProperty("flows").EnumerateArray())
        {
            var own = $"{name}.{flow.GetProperty("name").GetString()}.load.json";
            files.Add(File.Exists(System.IO.Path.Combine(Directory, own)) ? own : name + ".load.json");
        }

        return files;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "takler-compat");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/takler-compat was not found above " + AppContext.BaseDirectory);
    }
}
