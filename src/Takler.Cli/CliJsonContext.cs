using System.Text.Json.Serialization;

namespace Takler.Cli;

/// <summary>Source-generated JSON for the <c>--json</c> outputs that are not protobuf messages.</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
