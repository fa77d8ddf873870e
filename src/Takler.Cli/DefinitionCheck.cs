using Takler.Core;
using Takler.Core.Definitions;
using Takler.Core.Definitions.TaklerJson;
using Takler.Core.Nodes;

namespace Takler.Cli;

/// <summary><c>check FILE...</c>: reads and checks definitions without a server; errors as <c>file:line:col: message</c>.</summary>
internal static class DefinitionCheck
{
    public static int Run(IReadOnlyList<string> files, bool print, TextWriter output)
    {
        var failed = false;
        var flows = new List<Flow>();
        foreach (var file in files)
        {
            foreach (var diagnostic in Check(file, flows))
            {
                failed |= diagnostic.IsError;
                output.Write(diagnostic + "\n");
            }
        }

        if (failed)
        {
            return 1;
        }

        if (print)
        {
            output.Write(DefsWriter.ToText(flows).ReplaceLineEndings("\n"));
        }
        else
        {
            output.Write("OK\n");
        }

        return 0;
    }

    private static IReadOnlyList<Diagnostic> Check(string file, List<Flow> flows)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [new Diagnostic(DiagnosticSeverity.Error, file, 0, 0, e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message)];
        }

        if (DefinitionLoader.LooksLikeJson(bytes))
        {
            try
            {
                flows.Add(TaklerJsonReader.ReadFlow(bytes, TaklerJsonReadMode.Tree));
                return [];
            }
            catch (TaklerException e)
            {
                return [new Diagnostic(DiagnosticSeverity.Error, file, 1, 1, e.Message)];
            }
        }

        try
        {
            var defs = DefsReader.Parse(System.Text.Encoding.UTF8.GetString(bytes), file);
            flows.AddRange(defs.Flows);
            return DefsChecker.Check(defs);
        }
        catch (DefinitionException e)
        {
            return e.Diagnostics.Count > 0 ? e.Diagnostics : [new Diagnostic(DiagnosticSeverity.Error, file, 1, 1, e.Message)];
        }
    }
}
