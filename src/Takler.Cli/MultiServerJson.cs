using System.Text;
using System.Text.Json;
using Takler.Client;

namespace Takler.Cli;

/// <summary>
/// The `--json` output of a command sent to several servers (`--server A --server B`, `--all`): one JSON document, so
/// a program reads every answer with one parse:
/// <code>
/// {"servers": [{"server": "op-a (127.0.0.1:33083)", "address": "127.0.0.1:33083", "exit": 0,
///               "result": { ...the command's own JSON... }, "errors": []}, ...]}
/// </code>
/// in the order the servers were named. `result` is null when the server gave no answer; `errors` holds the lines the
/// command would have printed on stderr (they are printed there too, prefixed with the server).
/// </summary>
internal static class MultiServerJson
{
    public static int Write(ServerSelection selection, IReadOnlyList<PoolResult<int>> results, IReadOnlyList<(StringWriter Output, StringWriter Error)> outputs)
    {
        var exit = 0;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteStartArray("servers");
            foreach (var result in results)
            {
                var label = selection.Labels[result.Index];
                var (output, error) = outputs[result.Index];
                var errors = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
                var code = result.Value;
                if (result.Error is { } e)
                {
                    errors.Add(CommandExecution.FailureLine(e));
                    code = CommandExecution.ExitCodeOf(e);
                }

                exit = Math.Max(exit, code);
                json.WriteStartObject();
                json.WriteString("server", label);
                json.WriteString("address", result.Server.ToString());
                json.WriteNumber("exit", code);
                json.WritePropertyName("result");
                WriteAnswer(json, output.ToString());
                json.WriteStartArray("errors");
                foreach (var line in errors)
                {
                    json.WriteStringValue(line);
                    Console.Error.Write($"{label}: {line}\n");
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        Console.Out.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n");
        return exit;
    }

    /// <summary>The command's JSON as it is; nothing printed: null; anything else (it should not happen): as a string.</summary>
    private static void WriteAnswer(Utf8JsonWriter json, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            json.WriteNullValue();
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            document.WriteTo(json);
        }
        catch (JsonException)
        {
            json.WriteStringValue(text);
        }
    }
}
