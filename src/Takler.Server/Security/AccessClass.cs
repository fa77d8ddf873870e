namespace Takler.Server.Security;

/// <summary>Who may call an RPC; <see cref="RpcAccess"/> gives every RPC its class.</summary>
public enum AccessClass
{
    /// <summary>Anyone (ping: "is the server there?").</summary>
    Public,

    /// <summary>A task's job, proven by its job password (the `takler-pass` metadata), never by a user's token.</summary>
    Child,

    /// <summary>Users with the read role or higher.</summary>
    Read,

    /// <summary>Users with the operate role or higher.</summary>
    Operate,

    /// <summary>Users with the admin role.</summary>
    Admin,
}
