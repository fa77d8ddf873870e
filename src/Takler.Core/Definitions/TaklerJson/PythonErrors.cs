using System.Text.Json;

namespace Takler.Core.Definitions.TaklerJson;

/// <summary>
/// The errors Takler's Python reader raises on a bad document, as this server reports them: code 99
/// (<see cref="TaklerErrorCode.InternalError"/>) with Python's exception type and text, e.g. <c>KeyError: 'task_id'</c>.
/// </summary>
internal static class PythonErrors
{
    public static TaklerException Internal(string pythonType, string text) =>
        new(TaklerErrorCode.InternalError, $"{pythonType}: {text}");

    public static TaklerException KeyError(string key) => Internal("KeyError", $"'{key}'");

    /// <summary>What <c>x["key"]</c> raises when x is not a dict.</summary>
    public static TaklerException NotSubscriptable(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => Internal("TypeError", "list indices must be integers or slices, not str"),
        JsonValueKind.String => Internal("TypeError", "string indices must be integers, not 'str'"),
        _ => Internal("TypeError", $"'{TypeName(value)}' object is not subscriptable"),
    };

    /// <summary>A value of the wrong JSON type where the reader needs a given one.</summary>
    public static TaklerException WrongType(string key, string expected, JsonElement value) =>
        Internal("TypeError", $"'{key}' must be {expected}, not {TypeName(value)}");

    /// <summary>Python's type name of a JSON value: dict, list, str, int, float, bool, NoneType.</summary>
    public static string TypeName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "dict",
        JsonValueKind.Array => "list",
        JsonValueKind.String => "str",
        JsonValueKind.Number => IsIntegerLiteral(value) ? "int" : "float",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "NoneType",
    };

    /// <summary>Python's repr of a JSON scalar, for messages such as <c>7 is not a valid NodeStatus</c>.</summary>
    public static string Repr(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => PythonFormat.StrRepr(value.GetString()!),
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Null => "None",
        JsonValueKind.Number => IsIntegerLiteral(value)
            ? PythonFormat.IntegerText(value.GetRawText())
            : PythonFormat.FloatRepr(value.GetDouble()),
        _ => value.GetRawText(),
    };

    /// <summary>A JSON number Python reads as an int (no fraction, no exponent).</summary>
    public static bool IsIntegerLiteral(JsonElement number)
    {
        var raw = number.GetRawText();
        return raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0;
    }
}
