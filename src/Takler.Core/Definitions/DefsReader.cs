namespace Takler.Core.Definitions;

/// <summary>
/// Reads ecFlow suite definitions (`.def`, ecFlow 5.17's language) and state files (checkpoints): suites become
/// <see cref="Nodes.Flow"/>s, families <see cref="Nodes.Family"/>s, tasks <see cref="Nodes.Task"/>s; `edit` variables become
/// parameters, in order. Attributes without behaviour here yet (autocancel, autoarchive, autorestore, zombie, verify,
/// queue, generic, aviso, mirror, alias) are kept verbatim as <see cref="Attributes.KeptAttribute"/>s.
/// A syntax error or a value the model rejects throws a <see cref="DefinitionException"/> naming the file, line and
/// column; references between nodes are checked afterwards by <see cref="DefsChecker"/>.
/// </summary>
public static class DefsReader
{
    /// <summary>Reads a definition from text; <paramref name="fileName"/> is only used in error messages.</summary>
    public static DefsFile Parse(string text, string fileName = "<text>")
    {
        ArgumentNullException.ThrowIfNull(text);
        return new DefsParser(text, fileName).Parse();
    }

    /// <summary>Reads a definition file (UTF-8), streaming it: a large file is never held in memory as a whole. Errors name <paramref name="path"/> as given.</summary>
    public static DefsFile Load(string path)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        return Read(reader, path);
    }

    /// <summary>Reads a definition from <paramref name="reader"/>; <paramref name="fileName"/> is only used in error messages.</summary>
    public static DefsFile Read(TextReader reader, string fileName = "<reader>")
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new DefsParser(reader, fileName).Parse();
    }

    /// <summary>
    /// Reads and checks a definition file: throws a <see cref="DefinitionException"/> listing every error, and
    /// returns the definition with the checker's warnings.
    /// </summary>
    public static DefsFile LoadChecked(string path, out IReadOnlyList<Diagnostic> warnings)
    {
        var defs = Load(path);
        warnings = DefsChecker.ThrowIfInvalid(defs);
        return defs;
    }
}
