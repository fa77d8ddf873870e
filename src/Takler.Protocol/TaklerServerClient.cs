using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;

namespace Takler.Protocol;

/// <summary>
/// A typed client of <c>takler_protocol.TaklerServer</c>: one method per RPC. Each takes optional
/// metadata (e.g. <c>takler-pass</c>), an optional deadline and a cancellation token, and throws
/// <see cref="RpcException"/> when the call fails at the gRPC level. A business failure is a
/// non-zero <c>flag</c> in the response, not an exception.
/// </summary>
public sealed class TaklerServerClient
{
    private readonly CallInvoker _invoker;

    /// <summary>A client over <paramref name="channel"/>.</summary>
    public TaklerServerClient(GrpcChannel channel)
        : this((channel ?? throw new ArgumentNullException(nameof(channel))).CreateCallInvoker())
    {
    }

    /// <summary>A client over any call invoker (a fake in tests, a retrying one, ...).</summary>
    public TaklerServerClient(CallInvoker invoker)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        _invoker = invoker;
    }

    /// <summary>Child command: the task's job has started.</summary>
    public Task<ServiceResponse> RunCommandInitAsync(InitCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandInit, request, headers, deadline, cancellationToken);

    /// <summary>Child command: the task's job has completed.</summary>
    public Task<ServiceResponse> RunCommandCompleteAsync(CompleteCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandComplete, request, headers, deadline, cancellationToken);

    /// <summary>Child command: the task's job has aborted, with a reason.</summary>
    public Task<ServiceResponse> RunCommandAbortAsync(AbortCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandAbort, request, headers, deadline, cancellationToken);

    /// <summary>Child command: set an event of the task.</summary>
    public Task<ServiceResponse> RunCommandEventAsync(EventCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandEvent, request, headers, deadline, cancellationToken);

    /// <summary>Child command: set a meter of the task.</summary>
    public Task<ServiceResponse> RunCommandMeterAsync(MeterCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandMeter, request, headers, deadline, cancellationToken);

    /// <summary>Requeue nodes.</summary>
    public Task<ServiceResponse> RunCommandRequeueAsync(RequeueCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandRequeue, request, headers, deadline, cancellationToken);

    /// <summary>Suspend nodes.</summary>
    public Task<ServiceResponse> RunCommandSuspendAsync(SuspendCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandSuspend, request, headers, deadline, cancellationToken);

    /// <summary>Resume suspended nodes (takes the suspend message).</summary>
    public Task<ServiceResponse> RunCommandResumeAsync(SuspendCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandResume, request, headers, deadline, cancellationToken);

    /// <summary>Run tasks now, ignoring their dependencies.</summary>
    public Task<ServiceResponse> RunCommandRunAsync(RunCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandRun, request, headers, deadline, cancellationToken);

    /// <summary>Force a status on nodes, or set/clear events.</summary>
    public Task<ServiceResponse> RunCommandForceAsync(ForceCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandForce, request, headers, deadline, cancellationToken);

    /// <summary>Free nodes from their trigger and/or time dependencies.</summary>
    public Task<ServiceResponse> RunCommandFreeDepAsync(FreeDepCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandFreeDep, request, headers, deadline, cancellationToken);

    /// <summary>Load one flow from Takler's JSON.</summary>
    public Task<ServiceResponse> RunCommandLoadAsync(LoadCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandLoad, request, headers, deadline, cancellationToken);

    /// <summary>Begin one flow, or all.</summary>
    public Task<ServiceResponse> RunCommandBeginAsync(BeginCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandBegin, request, headers, deadline, cancellationToken);

    /// <summary>The server's tree as Takler's JSON.</summary>
    public Task<ShowResponse> RunRequestShowAsync(ShowRequest request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunRequestShow, request, headers, deadline, cancellationToken);

    /// <summary>Is the server there?</summary>
    public Task<PingResponse> RunRequestPingAsync(PingRequest request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunRequestPing, request, headers, deadline, cancellationToken);

    /// <summary>The server's running coroutines (diagnostics).</summary>
    public Task<CoroutineResponse> QueryCoroutineAsync(CoroutineRequest request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.QueryCoroutine, request, headers, deadline, cancellationToken);

    /// <summary>Extension, child command: set a label of the task.</summary>
    public Task<ServiceResponse> RunCommandLabelAsync(LabelCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandLabel, request, headers, deadline, cancellationToken);

    /// <summary>Extension: any child command with the job's password, try number and remote id.</summary>
    public Task<ServiceResponse> RunChildCommandAsync(ChildCommandRequest request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunChildCommand, request, headers, deadline, cancellationToken);

    /// <summary>Extension: kill the jobs of tasks.</summary>
    public Task<ServiceResponse> RunCommandKillAsync(KillCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandKill, request, headers, deadline, cancellationToken);

    /// <summary>Extension: add, change or delete an attribute of nodes.</summary>
    public Task<ServiceResponse> RunCommandAlterAsync(AlterCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandAlter, request, headers, deadline, cancellationToken);

    /// <summary>Extension: delete nodes.</summary>
    public Task<ServiceResponse> RunCommandDeleteAsync(DeleteCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandDelete, request, headers, deadline, cancellationToken);

    /// <summary>Extension: replace a node from a definition.</summary>
    public Task<ServiceResponse> RunCommandReplaceAsync(ReplaceCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandReplace, request, headers, deadline, cancellationToken);

    /// <summary>Extension: load flows from definition text (ecFlow .def by default).</summary>
    public Task<ServiceResponse> RunCommandLoadDefAsync(LoadDefCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandLoadDef, request, headers, deadline, cancellationToken);

    /// <summary>Extension: write a checkpoint now.</summary>
    public Task<ServiceResponse> RunCommandCheckpointAsync(CheckpointCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandCheckpoint, request, headers, deadline, cancellationToken);

    /// <summary>Extension: one node's status, try number, times and meters.</summary>
    public Task<StatusResponse> RequestStatusAsync(StatusRequest request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RequestStatus, request, headers, deadline, cancellationToken);

    /// <summary>Extension: why a node is not running.</summary>
    public Task<WhyResponse> RequestWhyAsync(WhyRequest request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RequestWhy, request, headers, deadline, cancellationToken);

    /// <summary>Extension: the tree as typed nodes, with the attributes asked for.</summary>
    public Task<TreeResponse> RequestTreeAsync(TreeRequest request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RequestTree, request, headers, deadline, cancellationToken);

    /// <summary>Extension: the zombies the server has seen.</summary>
    public Task<ZombiesResponse> RequestZombiesAsync(ZombiesRequest request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RequestZombies, request, headers, deadline, cancellationToken);

    /// <summary>Extension: uptime, counts and version.</summary>
    public Task<ServerStatsResponse> RequestServerStatsAsync(ServerStatsRequest request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RequestServerStats, request, headers, deadline, cancellationToken);

    /// <summary>Extension: the whole server state as .def text with state, or our JSON.</summary>
    public Task<ExportResponse> RequestExportAsync(ExportRequest request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RequestExport, request, headers, deadline, cancellationToken);

    /// <summary>Extension: run tasks now, with parameters for the jobs of this run only.</summary>
    public Task<ServiceResponse> RunCommandSubmitAsync(SubmitCommand request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.UnaryAsync(TaklerServerMethods.RunCommandSubmit, request, headers, deadline, cancellationToken);

    /// <summary>Extension: the status of nodes as it changes, until they reach the wanted statuses or the timeout passes.</summary>
    public IAsyncEnumerable<WatchEvent> WatchStatusAsync(WatchRequest request, Metadata? headers = null, DateTimeOffset? deadline = null, CancellationToken cancellationToken = default) =>
        _invoker.ServerStreamingAsync(TaklerServerMethods.WatchStatus, request, headers, deadline, cancellationToken);
}
