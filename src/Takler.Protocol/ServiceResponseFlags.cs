namespace Takler.Protocol;

/// <summary>Names of <c>ServiceResponse.flag</c> values as Takler prints them (<c>received: node_not_found</c>).</summary>
public static class ServiceResponseFlags
{
    /// <summary>The snake-case name of a flag; <c>unknown</c> for any value outside the table of §4.3.</summary>
    public static string GetName(int flag) => flag switch
    {
        0 => "success",
        1 => "takler_error",
        10 => "node_not_found",
        11 => "invalid_node_path",
        12 => "node_type",
        13 => "unsupported_value",
        14 => "flow_state",
        15 => "invalid_request",
        20 => "expression_syntax",
        30 => "job_submission",
        31 => "zombie",
        40 => "transport",
        41 => "client_connection",
        42 => "server_response",
        43 => "permission_denied",
        99 => "internal_error",
        _ => "unknown",
    };

    /// <summary>True when <paramref name="flag"/> is one of the 16 codes of §4.3.</summary>
    public static bool IsDefined(int flag) => GetName(flag) != "unknown";

    /// <summary>The name of a known flag.</summary>
    public static string GetName(this ServiceResponseFlag flag) => GetName((int)flag);
}
