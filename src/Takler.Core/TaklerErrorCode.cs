namespace Takler.Core;

/// <summary>Error codes, numbered as Takler's protocol table (`ServiceResponse.flag`).</summary>
public enum TaklerErrorCode
{
    Success = 0,
    TaklerError = 1,
    NodeNotFound = 10,
    InvalidNodePath = 11,
    NodeType = 12,
    UnsupportedValue = 13,
    FlowState = 14,
    InvalidRequest = 15,
    ExpressionSyntax = 20,
    JobSubmission = 30,
    Zombie = 31,
    Transport = 40,
    ClientConnection = 41,
    ServerResponse = 42,
    PermissionDenied = 43,
    InternalError = 99,
}

/// <summary>Names of the codes as Takler prints them.</summary>
public static class TaklerErrorCodes
{
    /// <summary>The snake_case name Takler's client prints (`node_not_found`); `unknown` for a value outside the table.</summary>
    public static string FlagName(int flag) => flag switch
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

    /// <summary>The exception type name Takler puts before the message (`NodeNotFoundError: ...`).</summary>
    public static string ExceptionTypeName(TaklerErrorCode code) => code switch
    {
        TaklerErrorCode.NodeNotFound => "NodeNotFoundError",
        TaklerErrorCode.InvalidNodePath => "InvalidNodePathError",
        TaklerErrorCode.NodeType => "NodeTypeError",
        TaklerErrorCode.UnsupportedValue => "UnsupportedValueError",
        TaklerErrorCode.FlowState => "FlowStateError",
        TaklerErrorCode.InvalidRequest => "InvalidRequestError",
        TaklerErrorCode.ExpressionSyntax => "ExpressionSyntaxError",
        TaklerErrorCode.JobSubmission => "JobSubmissionError",
        TaklerErrorCode.Zombie => "ZombieError",
        TaklerErrorCode.Transport => "TransportError",
        TaklerErrorCode.ClientConnection => "ClientConnectionError",
        TaklerErrorCode.ServerResponse => "ServerResponseError",
        TaklerErrorCode.PermissionDenied => "PermissionDeniedError",
        TaklerErrorCode.InternalError => "InternalError",
        _ => "TaklerError",
    };

    /// <summary>The exit code of Takler's client for a flag: 0, 1 (request error), 3 (server error) or 4 (unreachable).</summary>
    public static int ExitCode(int flag) => flag switch
    {
        0 => 0,
        1 or 10 or 11 or 12 or 13 or 14 or 15 or 20 or 43 => 1,
        40 or 41 => 4,
        _ => 3,
    };
}
