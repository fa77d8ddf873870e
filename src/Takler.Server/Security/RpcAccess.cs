using System.Collections.Frozen;
using M = Takler.Protocol.TaklerServerMethods;

namespace Takler.Server.Security;

/// <summary>
/// The one table of who may call what: every RPC of `takler_protocol.TaklerServer` and its access class. An RPC
/// missing here is <see cref="AccessClass.Admin"/>, so a new RPC is closed until it is classified.
/// </summary>
public static class RpcAccess
{
    private static readonly FrozenDictionary<string, AccessClass> Table = new Dictionary<string, AccessClass>(StringComparer.Ordinal)
    {
        [M.RunRequestPing.FullName] = AccessClass.Public,

        [M.RunCommandInit.FullName] = AccessClass.Child,
        [M.RunCommandComplete.FullName] = AccessClass.Child,
        [M.RunCommandAbort.FullName] = AccessClass.Child,
        [M.RunCommandEvent.FullName] = AccessClass.Child,
        [M.RunCommandMeter.FullName] = AccessClass.Child,
        [M.RunCommandLabel.FullName] = AccessClass.Child,
        [M.RunChildCommand.FullName] = AccessClass.Child,

        [M.RunRequestShow.FullName] = AccessClass.Read,
        [M.QueryCoroutine.FullName] = AccessClass.Read,
        [M.RequestStatus.FullName] = AccessClass.Read,
        [M.RequestWhy.FullName] = AccessClass.Read,
        [M.RequestTree.FullName] = AccessClass.Read,
        [M.RequestZombies.FullName] = AccessClass.Read,
        [M.RequestServerStats.FullName] = AccessClass.Read,
        [M.RequestExport.FullName] = AccessClass.Read,
        [M.WatchStatus.FullName] = AccessClass.Read, // Operate when it also runs the tasks: see Of(method, request)

        [M.RunCommandBegin.FullName] = AccessClass.Operate,
        [M.RunCommandRequeue.FullName] = AccessClass.Operate,
        [M.RunCommandSuspend.FullName] = AccessClass.Operate,
        [M.RunCommandResume.FullName] = AccessClass.Operate,
        [M.RunCommandRun.FullName] = AccessClass.Operate,
        [M.RunCommandSubmit.FullName] = AccessClass.Operate,
        [M.RunCommandForce.FullName] = AccessClass.Operate,
        [M.RunCommandFreeDep.FullName] = AccessClass.Operate,
        [M.RunCommandKill.FullName] = AccessClass.Operate,
        [M.RunCommandAlter.FullName] = AccessClass.Operate,

        [M.RunCommandLoad.FullName] = AccessClass.Admin,
        [M.RunCommandLoadDef.FullName] = AccessClass.Admin,
        [M.RunCommandReplace.FullName] = AccessClass.Admin,
        [M.RunCommandDelete.FullName] = AccessClass.Admin,
        [M.RunCommandCheckpoint.FullName] = AccessClass.Admin,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every classified RPC path (`/takler_protocol.TaklerServer/RunCommandRequeue`) and its class.</summary>
    public static IReadOnlyDictionary<string, AccessClass> All => Table;

    /// <summary>The class of an RPC, by its path; <see cref="AccessClass.Admin"/> when it is not in the table.</summary>
    public static AccessClass Of(string methodPath) => Table.GetValueOrDefault(methodPath, AccessClass.Admin);

    /// <summary>The class of one call: as <see cref="Of(string)"/>, except that a watch which also runs its tasks (`run --wait`) is a control command.</summary>
    public static AccessClass Of(string methodPath, Google.Protobuf.IMessage request) =>
        request is Takler.Protocol.WatchRequest { Run: not null } ? AccessClass.Operate : Of(methodPath);

    /// <summary>The role a user needs for a class; null for <see cref="AccessClass.Public"/> and <see cref="AccessClass.Child"/>, which no user role grants.</summary>
    public static UserRole? RequiredRole(AccessClass access) => access switch
    {
        AccessClass.Read => UserRole.Read,
        AccessClass.Operate => UserRole.Operate,
        AccessClass.Admin => UserRole.Admin,
        _ => null,
    };
}
