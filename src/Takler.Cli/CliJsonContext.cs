using System.Text.Json.Serialization;

namespace Takler.Cli;

/// <summary>Source-generated JSON for the <c>--json</c> outputs that are not protobuf messages.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(PingResult))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
