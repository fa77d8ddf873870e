using Takler.Core.Attributes;
using Takler.Core.Nodes;

namespace Takler.Core.Definitions;

/// <summary>
/// A read definition: its flows (ecFlow's suites) in file order, its `extern` paths, and, for a state file
/// (`defs_state ...`), the server-level variables and the state style. Check it with <see cref="DefsChecker"/>.
/// </summary>
public sealed class DefsFile
{
    /// <summary>A definition built in code, to check or write it like a read one.</summary>
    public DefsFile(IEnumerable<Flow> flows, IEnumerable<string>? externs = null, string fileName = "<definition>")
        : this(fileName, [.. flows], [.. externs ?? []], [], null, new DefsSourceMap(), null, [])
    {
    }

    internal DefsFile(
        string fileName,
        IReadOnlyList<Flow> flows,
        IReadOnlyList<string> externs,
        IReadOnlyList<Parameter> serverParameters,
        string? stateStyle,
        DefsSourceMap source,
        StringPool? pool,
        IReadOnlyList<Diagnostic> readerWarnings)
    {
        ReaderWarnings = readerWarnings;
        FileName = fileName;
        Flows = flows;
        Externs = externs;
        ServerParameters = serverParameters;
        StateStyle = stateStyle;
        Source = source;
        Pool = pool;
    }

    /// <summary>The name used in diagnostics.</summary>
    public string FileName { get; }

    /// <summary>The flows, in file order.</summary>
    public IReadOnlyList<Flow> Flows { get; }

    /// <summary>The `extern` paths (`/suite/family/task` or `/path:name`), in file order: references to them need not exist.</summary>
    public IReadOnlyList<string> Externs { get; }

    /// <summary>Server-level variables (the top-level `edit` lines of a state file), in order; empty for a plain definition.</summary>
    public IReadOnlyList<Parameter> ServerParameters { get; }

    /// <summary>The style after `defs_state` (`STATE`, `MIGRATE`, `NET`), or null for a plain definition.</summary>
    public string? StateStyle { get; }

    /// <summary>True for a state file (checkpoint): node lines carried their status, attributes their values.</summary>
    public bool IsState => StateStyle is not null;

    /// <summary>What the reader accepted but found odd (an `endsuite` closing open families); the checker reports these too.</summary>
    public IReadOnlyList<Diagnostic> ReaderWarnings { get; }

    internal DefsSourceMap Source { get; }

    internal StringPool? Pool { get; }

    /// <summary>Where a node (or an expression part, in-limit or kept attribute) was read; null when unknown.</summary>
    public SourcePosition? PositionOf(object item) => Source.Find(item);
}
