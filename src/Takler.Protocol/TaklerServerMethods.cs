using Takler.Protocol.Grpc;

namespace Takler.Protocol;

/// <summary>
/// The method descriptors of the <c>takler_protocol.TaklerServer</c> service: Takler's RPCs
/// (takler-compat README §4.1) and our extensions. All are unary but <see cref="WatchStatus"/>, which streams.
/// </summary>
public static class TaklerServerMethods
{
    /// <summary>The fully qualified service name.</summary>
    public const string ServiceName = "takler_protocol.TaklerServer";

    /// <summary>Child command: the task's job has started.</summary>
    public static readonly GrpcMethod<InitCommand, ServiceResponse> RunCommandInit = Unary(InitCommand.Parser, ServiceResponse.Parser, nameof(RunCommandInit));

    /// <summary>Child command: the task's job has completed.</summary>
    public static readonly GrpcMethod<CompleteCommand, ServiceResponse> RunCommandComplete = Unary(CompleteCommand.Parser, ServiceResponse.Parser, nameof(RunCommandComplete));

    /// <summary>Child command: the task's job has aborted, with a reason.</summary>
    public static readonly GrpcMethod<AbortCommand, ServiceResponse> RunCommandAbort = Unary(AbortCommand.Parser, ServiceResponse.Parser, nameof(RunCommandAbort));

    /// <summary>Child command: set an event of the task.</summary>
    public static readonly GrpcMethod<EventCommand, ServiceResponse> RunCommandEvent = Unary(EventCommand.Parser, ServiceResponse.Parser, nameof(RunCommandEvent));

    /// <summary>Child command: set a meter of the task.</summary>
    public static readonly GrpcMethod<MeterCommand, ServiceResponse> RunCommandMeter = Unary(MeterCommand.Parser, ServiceResponse.Parser, nameof(RunCommandMeter));

    /// <summary>Requeue nodes.</summary>
    public static readonly GrpcMethod<RequeueCommand, ServiceResponse> RunCommandRequeue = Unary(RequeueCommand.Parser, ServiceResponse.Parser, nameof(RunCommandRequeue));

    /// <summary>Suspend nodes.</summary>
    public static readonly GrpcMethod<SuspendCommand, ServiceResponse> RunCommandSuspend = Unary(SuspendCommand.Parser, ServiceResponse.Parser, nameof(RunCommandSuspend));

    /// <summary>Resume suspended nodes (takes the suspend message).</summary>
    public static readonly GrpcMethod<SuspendCommand, ServiceResponse> RunCommandResume = Unary(SuspendCommand.Parser, ServiceResponse.Parser, nameof(RunCommandResume));

    /// <summary>Run tasks now, ignoring their dependencies.</summary>
    public static readonly GrpcMethod<RunCommand, ServiceResponse> RunCommandRun = Unary(RunCommand.Parser, ServiceResponse.Parser, nameof(RunCommandRun));

    /// <summary>Force a status on nodes, or set/clear events.</summary>
    public static readonly GrpcMethod<ForceCommand, ServiceResponse> RunCommandForce = Unary(ForceCommand.Parser, ServiceResponse.Parser, nameof(RunCommandForce));

    /// <summary>Free nodes from their trigger and/or time dependencies.</summary>
    public static readonly GrpcMethod<FreeDepCommand, ServiceResponse> RunCommandFreeDep = Unary(FreeDepCommand.Parser, ServiceResponse.Parser, nameof(RunCommandFreeDep));

    /// <summary>Load one flow from Takler's JSON.</summary>
    public static readonly GrpcMethod<LoadCommand, ServiceResponse> RunCommandLoad = Unary(LoadCommand.Parser, ServiceResponse.Parser, nameof(RunCommandLoad));

    /// <summary>Begin one flow, or all.</summary>
    public static readonly GrpcMethod<BeginCommand, ServiceResponse> RunCommandBegin = Unary(BeginCommand.Parser, ServiceResponse.Parser, nameof(RunCommandBegin));

    /// <summary>The server's tree as Takler's JSON.</summary>
    public static readonly GrpcMethod<ShowRequest, ShowResponse> RunRequestShow = Unary(ShowRequest.Parser, ShowResponse.Parser, nameof(RunRequestShow));

    /// <summary>Is the server there?</summary>
    public static readonly GrpcMethod<PingRequest, PingResponse> RunRequestPing = Unary(PingRequest.Parser, PingResponse.Parser, nameof(RunRequestPing));

    /// <summary>The server's running coroutines (diagnostics).</summary>
    public static readonly GrpcMethod<CoroutineRequest, CoroutineResponse> QueryCoroutine = Unary(CoroutineRequest.Parser, CoroutineResponse.Parser, nameof(QueryCoroutine));

    /// <summary>Extension, child command: set a label of the task.</summary>
    public static readonly GrpcMethod<LabelCommand, ServiceResponse> RunCommandLabel = Unary(LabelCommand.Parser, ServiceResponse.Parser, nameof(RunCommandLabel));

    /// <summary>Extension: any child command with the job's password, try number and remote id.</summary>
    public static readonly GrpcMethod<ChildCommandRequest, ServiceResponse> RunChildCommand = Unary(ChildCommandRequest.Parser, ServiceResponse.Parser, nameof(RunChildCommand));

    /// <summary>Extension: kill the jobs of tasks.</summary>
    public static readonly GrpcMethod<KillCommand, ServiceResponse> RunCommandKill = Unary(KillCommand.Parser, ServiceResponse.Parser, nameof(RunCommandKill));

    /// <summary>Extension: add, change or delete an attribute of nodes.</summary>
    public static readonly GrpcMethod<AlterCommand, ServiceResponse> RunCommandAlter = Unary(AlterCommand.Parser, ServiceResponse.Parser, nameof(RunCommandAlter));

    /// <summary>Extension: delete nodes.</summary>
    public static readonly GrpcMethod<DeleteCommand, ServiceResponse> RunCommandDelete = Unary(DeleteCommand.Parser, ServiceResponse.Parser, nameof(RunCommandDelete));

    /// <summary>Extension: replace a node from a definition.</summary>
    public static readonly GrpcMethod<ReplaceCommand, ServiceResponse> RunCommandReplace = Unary(ReplaceCommand.Parser, ServiceResponse.Parser, nameof(RunCommandReplace));

    /// <summary>Extension: load flows from definition text (ecFlow .def by default).</summary>
    public static readonly GrpcMethod<LoadDefCommand, ServiceResponse> RunCommandLoadDef = Unary(LoadDefCommand.Parser, ServiceResponse.Parser, nameof(RunCommandLoadDef));

    /// <summary>Extension: write a checkpoint now.</summary>
    public static readonly GrpcMethod<CheckpointCommand, ServiceResponse> RunCommandCheckpoint = Unary(CheckpointCommand.Parser, ServiceResponse.Parser, nameof(RunCommandCheckpoint));

    /// <summary>Extension: one node's status, try number, times and meters.</summary>
    public static readonly GrpcMethod<StatusRequest, StatusResponse> RequestStatus = Unary(StatusRequest.Parser, StatusResponse.Parser, nameof(RequestStatus));

    /// <summary>Extension: why a node is not running.</summary>
    public static readonly GrpcMethod<WhyRequest, WhyResponse> RequestWhy = Unary(WhyRequest.Parser, WhyResponse.Parser, nameof(RequestWhy));

    /// <summary>Extension: the tree as typed nodes, with the attributes asked for.</summary>
    public static readonly GrpcMethod<TreeRequest, TreeResponse> RequestTree = Unary(TreeRequest.Parser, TreeResponse.Parser, nameof(RequestTree));

    /// <summary>Extension: the zombies the server has seen.</summary>
    public static readonly GrpcMethod<ZombiesRequest, ZombiesResponse> RequestZombies = Unary(ZombiesRequest.Parser, ZombiesResponse.Parser, nameof(RequestZombies));

    /// <summary>Extension: uptime, counts and version.</summary>
    public static readonly GrpcMethod<ServerStatsRequest, ServerStatsResponse> RequestServerStats = Unary(ServerStatsRequest.Parser, ServerStatsResponse.Parser, nameof(RequestServerStats));

    /// <summary>Extension: the whole server state as .def text with state, or our JSON.</summary>
    public static readonly GrpcMethod<ExportRequest, ExportResponse> RequestExport = Unary(ExportRequest.Parser, ExportResponse.Parser, nameof(RequestExport));

    /// <summary>Extension: run tasks now, with parameters for the jobs of this run only.</summary>
    public static readonly GrpcMethod<SubmitCommand, ServiceResponse> RunCommandSubmit = Unary(SubmitCommand.Parser, ServiceResponse.Parser, nameof(RunCommandSubmit));

    /// <summary>Extension: the status of nodes as it changes, until they reach the wanted statuses or the timeout passes.</summary>
    public static readonly GrpcMethod<WatchRequest, WatchEvent> WatchStatus = new(MethodType.ServerStreaming, ServiceName, nameof(WatchStatus), WatchRequest.Parser, WatchEvent.Parser);

    private static GrpcMethod<TRequest, TResponse> Unary<TRequest, TResponse>(
        Google.Protobuf.MessageParser<TRequest> requestParser,
        Google.Protobuf.MessageParser<TResponse> responseParser,
        string name)
        where TRequest : class, Google.Protobuf.IMessage<TRequest>
        where TResponse : class, Google.Protobuf.IMessage<TResponse> =>
        new(MethodType.Unary, ServiceName, name, requestParser, responseParser);
}
