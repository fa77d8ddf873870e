using System.Globalization;

namespace Takler.Core.Attributes;

/// <summary>
/// A user parameter (ecFlow's `edit` variable). <see cref="Value"/> is the text substituted into scripts
/// (Python's `str()` for non-strings, so `True`, `4`, `0.5`, `None`), <see cref="Kind"/> the JSON type it came with.
/// </summary>
public sealed record Parameter(string Name, string Value, ParameterKind Kind = ParameterKind.String)
{
    /// <summary>A string parameter.</summary>
    public static Parameter Text(string name, string value) => new(name, value, ParameterKind.String);

    /// <summary>An integer parameter.</summary>
    public static Parameter Integer(string name, long value) =>
        new(name, value.ToString(CultureInfo.InvariantCulture), ParameterKind.Integer);

    /// <summary>A boolean parameter (text `True`/`False`, as Takler prints it).</summary>
    public static Parameter Boolean(string name, bool value) => new(name, value ? "True" : "False", ParameterKind.Boolean);

    /// <summary>A parameter whose value is null (text `None`).</summary>
    public static Parameter Null(string name) => new(name, "None", ParameterKind.Null);

    /// <summary>A float parameter; <paramref name="text"/> is its shortest round-trip representation (`0.5`, `10.0`).</summary>
    public static Parameter Float(string name, string text) => new(name, text, ParameterKind.Float);
}
