namespace Takler.Core;

/// <summary>A rejected command or bad input: carries the code of Takler's table and a message that says what and where.</summary>
public class TaklerException : Exception
{
    public TaklerException(TaklerErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public TaklerException(TaklerErrorCode code, string message, Exception inner)
        : base(message, inner)
    {
        Code = code;
    }

    public TaklerException()
        : this(TaklerErrorCode.TaklerError, "takler error")
    {
    }

    public TaklerException(string message)
        : this(TaklerErrorCode.TaklerError, message)
    {
    }

    public TaklerException(string message, Exception inner)
        : this(TaklerErrorCode.TaklerError, message, inner)
    {
    }

    /// <summary>The error code.</summary>
    public TaklerErrorCode Code { get; }

    /// <summary>`NodeNotFoundError: node is not found: /f/x`, as Takler's server answers.</summary>
    public string ProtocolMessage => $"{TaklerErrorCodes.ExceptionTypeName(Code)}: {Message}";

    internal static TaklerException NodeNotFound(string path) =>
        new(TaklerErrorCode.NodeNotFound, $"node is not found: {path}");

    internal static TaklerException NodeType(string path, string expected) =>
        new(TaklerErrorCode.NodeType, $"node must be {expected}: {path}");
}
