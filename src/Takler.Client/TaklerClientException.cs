using Takler.Protocol;
using Takler.Protocol.Grpc;

namespace Takler.Client;

/// <summary>
/// A command that failed: either the server answered with a non-zero flag (<see cref="IsServerResponse"/>), or the
/// client failed locally (unreachable server, transport error, unusable answer, bad argument). <see cref="ErrorCode"/>
/// is Takler's flag for both, so one table gives the exit code (takler-compat §4.3-4.5).
/// </summary>
/// <remarks><see cref="Exception.Message"/> is the one line Takler's client prints on stderr.</remarks>
public sealed class TaklerClientException : Exception
{
    public TaklerClientException()
        : this("takler client error")
    {
    }

    public TaklerClientException(string message)
        : this(message, null)
    {
    }

    public TaklerClientException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Flag = (int)ServiceResponseFlag.TaklerError;
        ServerMessage = message;
        ErrorType = "TaklerError";
        Paths = [];
    }

    private TaklerClientException(
        int flag,
        string errorType,
        string serverMessage,
        bool isServerResponse,
        ServerAddress? server,
        string? command,
        IReadOnlyList<string>? paths,
        StatusCode? grpcStatus,
        Exception? innerException)
        : base(isServerResponse ? $"{ServiceResponseFlags.GetName(flag)}: {serverMessage}" : $"{errorType}: {serverMessage}", innerException)
    {
        Flag = flag;
        ErrorType = errorType;
        ServerMessage = serverMessage;
        IsServerResponse = isServerResponse;
        Server = server?.ToString();
        Command = command;
        Paths = paths ?? [];
        GrpcStatus = grpcStatus;
    }

    /// <summary>Takler's flag as sent (a value outside the table is kept as is).</summary>
    public int Flag { get; }

    /// <summary>The flag as the enum; a value outside the table casts to no named member.</summary>
    public ServiceResponseFlag ErrorCode => (ServiceResponseFlag)Flag;

    /// <summary>The flag's name as Takler prints it (<c>node_not_found</c>; <c>unknown</c> outside the table).</summary>
    public string FlagName => ServiceResponseFlags.GetName(Flag);

    /// <summary>
    /// The server's message (<c>NodeNotFoundError: node is not found: /f/x</c>) when it answered; otherwise the local
    /// failure's text without its type.
    /// </summary>
    public string ServerMessage { get; }

    /// <summary>Takler's exception type name: <c>ClientConnectionError</c>, <c>TransportError</c>, ...; for a server answer, its flag's type.</summary>
    public string ErrorType { get; }

    /// <summary>True when the server answered the command with a non-zero flag (it was executed and refused).</summary>
    public bool IsServerResponse { get; }

    /// <summary>The server as <c>host:port</c>; null when the failure happened before an address was known.</summary>
    public string? Server { get; }

    /// <summary>The command's name (<c>complete</c>, <c>requeue</c>, ...); null when not known.</summary>
    public string? Command { get; }

    /// <summary>The node paths the command was about; empty when none.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>The gRPC status of the last attempt, when the failure was at the gRPC level.</summary>
    public StatusCode? GrpcStatus { get; }

    /// <summary>
    /// True when the server refused the caller rather than the request: no valid credentials (UNAUTHENTICATED) or a
    /// role too low for the command (PERMISSION_DENIED).
    /// </summary>
    public bool IsAccessDenied => GrpcStatus is StatusCode.Unauthenticated or StatusCode.PermissionDenied;

    /// <summary>
    /// The exit code: 1 request error, 3 server/internal error, 4 unreachable/transport (Takler's), and
    /// <see cref="AccessDeniedExitCode"/> when <see cref="IsAccessDenied"/> (Takler's client exits 1 there).
    /// </summary>
    public int ExitCode => IsAccessDenied ? AccessDeniedExitCode : ExitCodeOf(Flag);

    /// <summary>The exit code of a refused caller (not authenticated, or not permitted): 6.</summary>
    public const int AccessDeniedExitCode = 6;

    /// <summary>The exit code for a flag (takler-compat §4.3): 0, 1, 3 or 4; unregistered values give 3.</summary>
    public static int ExitCodeOf(int flag) => flag switch
    {
        0 => 0,
        1 or 10 or 11 or 12 or 13 or 14 or 15 or 20 or 43 => 1,
        40 or 41 => 4,
        _ => 3,
    };

    /// <summary>The server answered with a non-zero flag.</summary>
    public static TaklerClientException FromResponse(int flag, string message, ServerAddress server, string command, IReadOnlyList<string>? paths = null) =>
        new(flag, TypeNameOf(flag), message, isServerResponse: true, server, command, paths, grpcStatus: null, innerException: null);

    /// <summary>A local failure with Takler's exception type name (<c>ValueError</c> and other non-Takler types map to flag 99).</summary>
    public static TaklerClientException Local(string errorType, string text, ServerAddress? server = null, string? command = null, IReadOnlyList<string>? paths = null, Exception? innerException = null) =>
        new(FlagOfType(errorType), errorType, text, isServerResponse: false, server, command, paths, grpcStatus: null, innerException);

    internal static TaklerClientException FromStatus(string errorType, string text, StatusCode status, ServerAddress server, string command, IReadOnlyList<string>? paths, Exception innerException) =>
        new(FlagOfType(errorType), errorType, text, isServerResponse: false, server, command, paths, status, innerException);

    private static string TypeNameOf(int flag) => flag switch
    {
        10 => "NodeNotFoundError",
        11 => "InvalidNodePathError",
        12 => "NodeTypeError",
        13 => "UnsupportedValueError",
        14 => "FlowStateError",
        15 => "InvalidRequestError",
        20 => "ExpressionSyntaxError",
        30 => "JobSubmissionError",
        31 => "ZombieError",
        40 => "TransportError",
        41 => "ClientConnectionError",
        42 => "ServerResponseError",
        43 => "PermissionDeniedError",
        99 => "InternalError",
        _ => "TaklerError",
    };

    private static int FlagOfType(string errorType) => errorType switch
    {
        "TaklerError" => 1,
        "NodeNotFoundError" => 10,
        "InvalidNodePathError" => 11,
        "NodeTypeError" => 12,
        "UnsupportedValueError" => 13,
        "FlowStateError" => 14,
        "InvalidRequestError" => 15,
        "ExpressionSyntaxError" => 20,
        "JobSubmissionError" => 30,
        "ZombieError" => 31,
        "TransportError" => 40,
        "ClientConnectionError" => 41,
        "ServerResponseError" => 42,
        "PermissionDeniedError" => 43,
        _ => 99,
    };
}
