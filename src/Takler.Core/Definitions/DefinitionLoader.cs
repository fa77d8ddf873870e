using Takler.Core.Definitions.TaklerJson;
using Takler.Core.Nodes;

namespace Takler.Core.Definitions;

/// <summary>
/// Puts definitions into a bunch, all or nothing: ecFlow `.def` text or Takler's JSON. Everything is parsed and
/// checked before the first flow is added, so a bad file changes nothing.
/// </summary>
public static class DefinitionLoader
{
    /// <summary>
    /// Loads every suite of a `.def` text. A flow whose name exists is an error unless <paramref name="replace"/>.
    /// Server-level edits of a state file become server parameters.
    /// </summary>
    public static IReadOnlyList<Flow> LoadDef(Bunch bunch, string text, string fileName, bool replace = false)
    {
        var defs = DefsReader.Parse(text, fileName);
        DefsChecker.ThrowIfInvalid(defs);
        if (!replace && defs.Flows.FirstOrDefault(f => bunch.FindFlow(f.Name) is not null) is { } clash)
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"flow {clash.Name} already exists (load with replace)");
        }

        foreach (var flow in defs.Flows)
        {
            bunch.AddFlow(flow, replace: true);
        }

        foreach (var p in defs.ServerParameters)
        {
            bunch.AddServerParameter(p);
        }

        return defs.Flows;
    }

    /// <summary>Loads one flow from Takler's JSON (`Flow.to_dict()`); like Takler, a flow of the same name is replaced in place.</summary>
    public static Flow LoadTaklerJson(Bunch bunch, ReadOnlyMemory<byte> json)
    {
        var flow = TaklerJsonReader.ReadFlow(json, TaklerJsonReadMode.Tree);
        return bunch.AddFlow(flow, replace: true);
    }

    /// <summary>Loads a file: Takler JSON when its first non-blank character is `{`, else ecFlow `.def`.</summary>
    public static IReadOnlyList<Flow> LoadFile(Bunch bunch, string path, bool replace = false)
    {
        if (!File.Exists(path))
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, $"{path}: no such file");
        }

        var bytes = File.ReadAllBytes(path);
        if (LooksLikeJson(bytes))
        {
            if (!replace && bunch.Flows.Count > 0)
            {
                var probe = TaklerJsonReader.ReadFlow(bytes, TaklerJsonReadMode.Tree);
                if (bunch.FindFlow(probe.Name) is not null)
                {
                    throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"flow {probe.Name} already exists (load with replace)");
                }
            }

            return [LoadTaklerJson(bunch, bytes)];
        }

        return LoadDef(bunch, System.Text.Encoding.UTF8.GetString(bytes), path, replace);
    }

    /// <summary>Whether a document's first non-blank character is `{`.</summary>
    public static bool LooksLikeJson(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
            {
                continue;
            }

            return b == (byte)'{';
        }

        return false;
    }
}
