using System.Text;
using Takler.Core.Definitions.TaklerJson;
using Takler.Core.Nodes;
using Takler.Core.Visitors;

namespace Takler.Cli;

/// <summary>Prints the server's JSON as Takler's <c>show</c> text (takler-compat §3), optionally with ANSI colours by status.</summary>
internal static class ShowPrinter
{
    /// <summary>The text of every flow, or of the subtree at <paramref name="path"/>.</summary>
    public static string ToText(string json, PrintOptions options, string? path)
    {
        var bunch = TaklerJsonReader.ReadBunch(json, TaklerJsonReadMode.Status);
        if (string.IsNullOrEmpty(path) || path == "/")
        {
            return PrintVisitor.ToText(bunch, options);
        }

        return PrintVisitor.ToText(bunch.GetNode(path), options);
    }

    /// <summary>The Takler JSON of the flow at <paramref name="path"/>, or the whole payload without one.</summary>
    public static string ToJson(string json, string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "/")
        {
            return json;
        }

        var node = TaklerJsonReader.ReadBunch(json, TaklerJsonReadMode.Status).GetNode(path);
        return node is Flow flow
            ? TaklerJsonWriter.WriteFlow(flow, indent: null)
            : throw new Core.TaklerException(Core.TaklerErrorCode.InvalidRequest, $"--json takes a flow path, not {path}");
    }

    /// <summary>Colours the <c>[status]</c> of each node line.</summary>
    public static string Colourise(string text)
    {
        var builder = new StringBuilder(text.Length + 256);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var open = line.LastIndexOf(" [", StringComparison.Ordinal);
            if (line.TrimStart().StartsWith("|- ", StringComparison.Ordinal) && open > 0 && line.EndsWith(']'))
            {
                var status = line[(open + 2)..^1];
                builder.Append(line, 0, open + 2).Append(ColourOf(status)).Append(status).Append("\u001b[0m]\n");
            }
            else
            {
                builder.Append(line).Append('\n');
            }
        }

        return builder.ToString();
    }

    // ecFlow's viewer colours: unknown grey, queued blue, submitted cyan, active green, complete yellow, aborted red, suspended orange.
    private static string ColourOf(string status) => status switch
    {
        _ when status.StartsWith("suspend", StringComparison.Ordinal) => "\u001b[38;5;208m",
        "complete" => "\u001b[33m",
        "queued" => "\u001b[94m",
        "submitted" => "\u001b[36m",
        "active" => "\u001b[32m",
        "aborted" => "\u001b[31m",
        _ => "\u001b[90m",
    };
}
