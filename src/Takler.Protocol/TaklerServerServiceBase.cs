using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Server;

namespace Takler.Protocol;

/// <summary>
/// Base of a <c>takler_protocol.TaklerServer</c> implementation: one virtual method per RPC, each
/// answering UNIMPLEMENTED until overridden. <see cref="BindService"/> maps them all on a router.
/// </summary>
public abstract class TaklerServerServiceBase
{
    /// <summary>Child command: the task's job has started.</summary>
    public virtual Task<ServiceResponse> RunCommandInit(InitCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandInit));

    /// <summary>Child command: the task's job has completed.</summary>
    public virtual Task<ServiceResponse> RunCommandComplete(CompleteCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandComplete));

    /// <summary>Child command: the task's job has aborted, with a reason.</summary>
    public virtual Task<ServiceResponse> RunCommandAbort(AbortCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandAbort));

    /// <summary>Child command: set an event of the task.</summary>
    public virtual Task<ServiceResponse> RunCommandEvent(EventCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandEvent));

    /// <summary>Child command: set a meter of the task.</summary>
    public virtual Task<ServiceResponse> RunCommandMeter(MeterCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandMeter));

    /// <summary>Requeue nodes.</summary>
    public virtual Task<ServiceResponse> RunCommandRequeue(RequeueCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandRequeue));

    /// <summary>Suspend nodes.</summary>
    public virtual Task<ServiceResponse> RunCommandSuspend(SuspendCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandSuspend));

    /// <summary>Resume suspended nodes (takes the suspend message).</summary>
    public virtual Task<ServiceResponse> RunCommandResume(SuspendCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandResume));

    /// <summary>Run tasks now, ignoring their dependencies.</summary>
    public virtual Task<ServiceResponse> RunCommandRun(RunCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandRun));

    /// <summary>Force a status on nodes, or set/clear events.</summary>
    public virtual Task<ServiceResponse> RunCommandForce(ForceCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandForce));

    /// <summary>Free nodes from their trigger and/or time dependencies.</summary>
    public virtual Task<ServiceResponse> RunCommandFreeDep(FreeDepCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandFreeDep));

    /// <summary>Load one flow from Takler's JSON.</summary>
    public virtual Task<ServiceResponse> RunCommandLoad(LoadCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandLoad));

    /// <summary>Begin one flow, or all.</summary>
    public virtual Task<ServiceResponse> RunCommandBegin(BeginCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandBegin));

    /// <summary>The server's tree as Takler's JSON.</summary>
    public virtual Task<ShowResponse> RunRequestShow(ShowRequest request, ServerCallContext context) => Unimplemented<ShowResponse>(nameof(RunRequestShow));

    /// <summary>Is the server there?</summary>
    public virtual Task<PingResponse> RunRequestPing(PingRequest request, ServerCallContext context) => Unimplemented<PingResponse>(nameof(RunRequestPing));

    /// <summary>The server's running coroutines (diagnostics).</summary>
    public virtual Task<CoroutineResponse> QueryCoroutine(CoroutineRequest request, ServerCallContext context) => Unimplemented<CoroutineResponse>(nameof(QueryCoroutine));

    /// <summary>Extension, child command: set a label of the task.</summary>
    public virtual Task<ServiceResponse> RunCommandLabel(LabelCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandLabel));

    /// <summary>Extension: any child command with the job's password, try number and remote id.</summary>
    public virtual Task<ServiceResponse> RunChildCommand(ChildCommandRequest request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunChildCommand));

    /// <summary>Extension: kill the jobs of tasks.</summary>
    public virtual Task<ServiceResponse> RunCommandKill(KillCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandKill));

    /// <summary>Extension: add, change or delete an attribute of nodes.</summary>
    public virtual Task<ServiceResponse> RunCommandAlter(AlterCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandAlter));

    /// <summary>Extension: delete nodes.</summary>
    public virtual Task<ServiceResponse> RunCommandDelete(DeleteCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandDelete));

    /// <summary>Extension: replace a node from a definition.</summary>
    public virtual Task<ServiceResponse> RunCommandReplace(ReplaceCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandReplace));

    /// <summary>Extension: load flows from definition text (ecFlow .def by default).</summary>
    public virtual Task<ServiceResponse> RunCommandLoadDef(LoadDefCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandLoadDef));

    /// <summary>Extension: write a checkpoint now.</summary>
    public virtual Task<ServiceResponse> RunCommandCheckpoint(CheckpointCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandCheckpoint));

    /// <summary>Extension: one node's status, try number, times and meters.</summary>
    public virtual Task<StatusResponse> RequestStatus(StatusRequest request, ServerCallContext context) => Unimplemented<StatusResponse>(nameof(RequestStatus));

    /// <summary>Extension: why a node is not running.</summary>
    public virtual Task<WhyResponse> RequestWhy(WhyRequest request, ServerCallContext context) => Unimplemented<WhyResponse>(nameof(RequestWhy));

    /// <summary>Extension: the tree as typed nodes, with the attributes asked for.</summary>
    public virtual Task<TreeResponse> RequestTree(TreeRequest request, ServerCallContext context) => Unimplemented<TreeResponse>(nameof(RequestTree));

    /// <summary>Extension: the zombies the server has seen.</summary>
    public virtual Task<ZombiesResponse> RequestZombies(ZombiesRequest request, ServerCallContext context) => Unimplemented<ZombiesResponse>(nameof(RequestZombies));

    /// <summary>Extension: uptime, counts and version.</summary>
    public virtual Task<ServerStatsResponse> RequestServerStats(ServerStatsRequest request, ServerCallContext context) => Unimplemented<ServerStatsResponse>(nameof(RequestServerStats));

    /// <summary>Extension: the whole server state as .def text with state, or our JSON.</summary>
    public virtual Task<ExportResponse> RequestExport(ExportRequest request, ServerCallContext context) => Unimplemented<ExportResponse>(nameof(RequestExport));

    /// <summary>Extension: run tasks now, with parameters for the jobs of this run only.</summary>
    public virtual Task<ServiceResponse> RunCommandSubmit(SubmitCommand request, ServerCallContext context) => Unimplemented<ServiceResponse>(nameof(RunCommandSubmit));

    /// <summary>Extension: the status of nodes as it changes, until they reach the wanted statuses or the timeout passes.</summary>
    public virtual Task WatchStatus(WatchRequest request, IServerStreamWriter<WatchEvent> responses, ServerCallContext context) => Unimplemented<bool>(nameof(WatchStatus));

    /// <summary>Maps every RPC of the service to this instance's methods.</summary>
    public void BindService(GrpcRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        router.MapUnary(TaklerServerMethods.RunCommandInit, RunCommandInit);
        router.MapUnary(TaklerServerMethods.RunCommandComplete, RunCommandComplete);
        router.MapUnary(TaklerServerMethods.RunCommandAbort, RunCommandAbort);
        router.MapUnary(TaklerServerMethods.RunCommandEvent, RunCommandEvent);
        router.MapUnary(TaklerServerMethods.RunCommandMeter, RunCommandMeter);
        router.MapUnary(TaklerServerMethods.RunCommandRequeue, RunCommandRequeue);
        router.MapUnary(TaklerServerMethods.RunCommandSuspend, RunCommandSuspend);
        router.MapUnary(TaklerServerMethods.RunCommandResume, RunCommandResume);
        router.MapUnary(TaklerServerMethods.RunCommandRun, RunCommandRun);
        router.MapUnary(TaklerServerMethods.RunCommandForce, RunCommandForce);
        router.MapUnary(TaklerServerMethods.RunCommandFreeDep, RunCommandFreeDep);
        router.MapUnary(TaklerServerMethods.RunCommandLoad, RunCommandLoad);
        router.MapUnary(TaklerServerMethods.RunCommandBegin, RunCommandBegin);
        router.MapUnary(TaklerServerMethods.RunRequestShow, RunRequestShow);
        router.MapUnary(TaklerServerMethods.RunRequestPing, RunRequestPing);
        router.MapUnary(TaklerServerMethods.QueryCoroutine, QueryCoroutine);
        router.MapUnary(TaklerServerMethods.RunCommandLabel, RunCommandLabel);
        router.MapUnary(TaklerServerMethods.RunChildCommand, RunChildCommand);
        router.MapUnary(TaklerServerMethods.RunCommandKill, RunCommandKill);
        router.MapUnary(TaklerServerMethods.RunCommandAlter, RunCommandAlter);
        router.MapUnary(TaklerServerMethods.RunCommandDelete, RunCommandDelete);
        router.MapUnary(TaklerServerMethods.RunCommandReplace, RunCommandReplace);
        router.MapUnary(TaklerServerMethods.RunCommandLoadDef, RunCommandLoadDef);
        router.MapUnary(TaklerServerMethods.RunCommandCheckpoint, RunCommandCheckpoint);
        router.MapUnary(TaklerServerMethods.RequestStatus, RequestStatus);
        router.MapUnary(TaklerServerMethods.RequestWhy, RequestWhy);
        router.MapUnary(TaklerServerMethods.RequestTree, RequestTree);
        router.MapUnary(TaklerServerMethods.RequestZombies, RequestZombies);
        router.MapUnary(TaklerServerMethods.RequestServerStats, RequestServerStats);
        router.MapUnary(TaklerServerMethods.RequestExport, RequestExport);
        router.MapUnary(TaklerServerMethods.RunCommandSubmit, RunCommandSubmit);
        router.MapServerStreaming(TaklerServerMethods.WatchStatus, WatchStatus);
    }

    private static Task<T> Unimplemented<T>(string method) =>
        Task.FromException<T>(new RpcException(StatusCode.Unimplemented, $"Method {TaklerServerMethods.ServiceName}/{method} is unimplemented."));
}
