namespace Takler.Protocol;

/// <summary>The values of <c>ServiceResponse.flag</c> (takler-compat README §4.3); 0 is success.</summary>
public enum ServiceResponseFlag
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
