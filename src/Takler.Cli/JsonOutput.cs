using Google.Protobuf;

namespace Takler.Cli;

/// <summary>
/// The <c>--json</c> text of query commands: one JSON document and a newline. Protobuf answers are written with every
/// field, defaults included (lowerCamelCase names), so a program sees the same keys whatever the values.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static string Message(IMessage message) => Formatter.Format(message) + "\n";

    public static string Ping(PingResult result) =>
        System.Text.Json.JsonSerializer.Serialize(result, CliJsonContext.Default.PingResult) + "\n";

    public static string Strings(IReadOnlyList<string> values) =>
        System.Text.Json.JsonSerializer.Serialize(values, CliJsonContext.Default.IReadOnlyListString) + "\n";
}
