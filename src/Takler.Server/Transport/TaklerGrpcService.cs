using System.Globalization;
using Microsoft.Extensions.Logging;
using Takler.Core;
using Takler.Core.Definitions;
using Takler.Core.Nodes;
using Takler.Protocol;
using Takler.Protocol.Grpc.Server;
using Takler.Server.Engine;
using Takler.Server.Storage;
using Takler.Server.Zombies;
using CoreStatus = Takler.Core.Nodes.NodeStatus;
using Task = System.Threading.Tasks.Task;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Transport;

/// <summary>
/// `takler_protocol.TaklerServer`: Takler's RPCs with Takler's flags and messages, plus our extensions.
/// Every command runs on the engine's loop; a failure is a flag and a message, never a transport error.
/// </summary>
public sealed partial class TaklerGrpcService : TaklerServerServiceBase
{
    private readonly SchedulerEngine _engine;
    private readonly ServerState _state;
    private readonly ILogger _logger;

    internal TaklerGrpcService(SchedulerEngine engine, ServerState state, ILogger logger)
    {
        _engine = engine;
        _state = state;
        _logger = logger;
    }

    public override Task<ServiceResponse> RunCommandInit(InitCommand request, ServerCallContext context) =>
        ChildAsync("init", request.ChildOptions?.NodePath, context, null, null, null, (c, task) => c.Operations.Init(task.Path, request.TaskId));

    public override Task<ServiceResponse> RunCommandComplete(CompleteCommand request, ServerCallContext context) =>
        ChildAsync("complete", request.ChildOptions?.NodePath, context, null, null, null, (c, task) => c.Operations.CompleteTask(task.Path));

    public override Task<ServiceResponse> RunCommandAbort(AbortCommand request, ServerCallContext context) =>
        ChildAsync("abort", request.ChildOptions?.NodePath, context, null, null, null, (c, task) => c.Operations.Abort(task.Path, c.AbortReason(task, request.Reason)));

    public override Task<ServiceResponse> RunCommandEvent(EventCommand request, ServerCallContext context) =>
        ChildAsync("event", request.ChildOptions?.NodePath, context, null, request.EventName, null, (c, task) => SetEvent(c, task, request.EventName));

    public override Task<ServiceResponse> RunCommandMeter(MeterCommand request, ServerCallContext context) =>
        ChildAsync("meter", request.ChildOptions?.NodePath, context, null, request.MeterName, request.MeterValue, (c, task) => SetMeter(c, task, request.MeterName, request.MeterValue));

    public override Task<ServiceResponse> RunCommandLabel(LabelCommand request, ServerCallContext context) =>
        ChildAsync("label", request.ChildOptions?.NodePath, context, request.Extension, request.LabelName, null, (c, task) => SetLabel(c, task, request.LabelName, request.LabelValue));

    public override Task<ServiceResponse> RunChildCommand(ChildCommandRequest request, ServerCallContext context)
    {
        var ext = request.Extension;
        return request.CommandCase switch
        {
            ChildCommandRequest.CommandOneofCase.Init =>
                ChildAsync("init", request.Init.ChildOptions?.NodePath, context, ext, null, null, (c, task) => c.Operations.Init(task.Path, string.IsNullOrEmpty(request.Init.TaskId) ? ext?.Rid : request.Init.TaskId)),
            ChildCommandRequest.CommandOneofCase.Complete =>
                ChildAsync("complete", request.Complete.ChildOptions?.NodePath, context, ext, null, null, (c, task) => c.Operations.CompleteTask(task.Path)),
            ChildCommandRequest.CommandOneofCase.Abort =>
                ChildAsync("abort", request.Abort.ChildOptions?.NodePath, context, ext, null, null, (c, task) => c.Operations.Abort(task.Path, c.AbortReason(task, request.Abort.Reason))),
            ChildCommandRequest.CommandOneofCase.Event =>
                ChildAsync("event", request.Event.ChildOptions?.NodePath, context, ext, request.Event.EventName, null, (c, task) => SetEvent(c, task, request.Event.EventName)),
            ChildCommandRequest.CommandOneofCase.Meter =>
                ChildAsync("meter", request.Meter.ChildOptions?.NodePath, context, ext, request.Meter.MeterName, request.Meter.MeterValue, (c, task) => SetMeter(c, task, request.Meter.MeterName, request.Meter.MeterValue)),
            ChildCommandRequest.CommandOneofCase.Label =>
                ChildAsync("label", request.Label.ChildOptions?.NodePath, context, ext, request.Label.LabelName, null, (c, task) => SetLabel(c, task, request.Label.LabelName, request.Label.LabelValue)),
            _ => Task.FromResult(Failure(TaklerErrorCode.InvalidRequest, "no child command given")),
        };
    }

    public override Task<ServiceResponse> RunCommandRequeue(RequeueCommand request, ServerCallContext context) =>
        CommandAsync("requeue", context, request.NodePath, null, c => c.Operations.Requeue(request.NodePath));

    public override Task<ServiceResponse> RunCommandSuspend(SuspendCommand request, ServerCallContext context) =>
        CommandAsync("suspend", context, request.NodePath, null, c => c.Operations.Suspend(request.NodePath));

    public override Task<ServiceResponse> RunCommandResume(SuspendCommand request, ServerCallContext context) =>
        CommandAsync("resume", context, request.NodePath, null, c => c.Operations.Resume(request.NodePath));

    public override Task<ServiceResponse> RunCommandRun(RunCommand request, ServerCallContext context) =>
        CommandAsync("run", context, request.NodePath, request.Force ? "force" : null, c =>
        {
            foreach (var task in c.Operations.Run(request.NodePath, request.Force))
            {
                c.Submit(task);
            }
        });

    public override Task<ServiceResponse> RunCommandSubmit(SubmitCommand request, ServerCallContext context) =>
        CommandAsync("run", context, request.NodePath, RunDetail(request), c => Submit(c, request.NodePath, request));

    private static string? RunDetail(SubmitCommand request)
    {
        var parts = request.Parameters.Select(p => $"{p.Key}={p.Value}").Order(StringComparer.Ordinal).ToList();
        if (request.HasPriority)
        {
            parts.Insert(0, string.Create(CultureInfo.InvariantCulture, $"priority={request.Priority}"));
        }

        if (request.Queue)
        {
            parts.Insert(0, "queue");
        }

        if (request.Force)
        {
            parts.Insert(0, "force");
        }

        return parts.Count == 0 ? null : string.Join(' ', parts);
    }

    /// <summary>
    /// Runs tasks now with parameters for this run's jobs only, or with <see cref="SubmitCommand.Queue"/> queues them
    /// for the scheduler to submit as their limits allow, highest priority first. A bad request changes nothing.
    /// </summary>
    private static void Submit(EngineContext c, IReadOnlyList<string> paths, SubmitCommand request)
    {
        if (request.Queue)
        {
            // Run parameters live only until the submission in the same step; a queued task is submitted later.
            if (request.Parameters.Count > 0)
            {
                throw new TaklerException(TaklerErrorCode.InvalidRequest, "run: parameters for one run cannot be given with queue (the task is submitted later); set them on the task with alter");
            }

            if (request.Force)
            {
                throw new TaklerException(TaklerErrorCode.InvalidRequest, "run: force cannot be given with queue (submitted and active tasks are left alone)");
            }

            c.Operations.RunQueued(paths, request.HasPriority ? request.Priority : null);
            return;
        }

        if (request.HasPriority)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, "run: a priority needs queue (a plain run submits at once, so there is nothing to order)");
        }

        var force = request.Force;
        var parameters = request.Parameters;
        foreach (var name in parameters.Keys)
        {
            if (!IsVariableName(name))
            {
                throw new TaklerException(TaklerErrorCode.InvalidRequest, $"run: '{name}' is not a valid parameter name (letters, digits and _, not starting with a digit)");
            }
        }

        var runParameters = parameters.Count == 0 ? null : new Dictionary<string, string>(parameters, StringComparer.Ordinal);
        foreach (var task in c.Operations.Run(paths, force))
        {
            c.Submit(task, runParameters);
        }
    }

    private static bool IsVariableName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');

    public override Task<ServiceResponse> RunCommandForce(ForceCommand request, ServerCallContext context) =>
        CommandAsync("force", context, request.Path, $"{request.State}{(request.Recursive ? " recursive" : string.Empty)}", c =>
        {
            var target = request.State switch
            {
                ForceCommand.Types.ForceState.Unknown => ForceTarget.To(CoreStatus.Unknown),
                ForceCommand.Types.ForceState.Complete => ForceTarget.To(CoreStatus.Complete),
                ForceCommand.Types.ForceState.Queued => ForceTarget.To(CoreStatus.Queued),
                ForceCommand.Types.ForceState.Submitted => ForceTarget.To(CoreStatus.Submitted),
                ForceCommand.Types.ForceState.Active => ForceTarget.To(CoreStatus.Active),
                ForceCommand.Types.ForceState.Aborted => ForceTarget.To(CoreStatus.Aborted),
                ForceCommand.Types.ForceState.Set => ForceTarget.Set,
                ForceCommand.Types.ForceState.Clear => ForceTarget.Clear,
                _ => throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"state {(int)request.State} is not supported"),
            };
            c.Operations.Force(target, request.Recursive, request.Path);
        });

    public override Task<ServiceResponse> RunCommandFreeDep(FreeDepCommand request, ServerCallContext context) =>
        CommandAsync("free-dep", context, request.Path, request.DepType.ToString(), c => c.Operations.FreeDep((FreeDepKind)(int)request.DepType, request.Path));

    public override Task<ServiceResponse> RunCommandBegin(BeginCommand request, ServerCallContext context) =>
        CommandAsync("begin", context, string.IsNullOrEmpty(request.FlowName) ? [] : ["/" + request.FlowName], request.Force ? "force" : null, c => c.Operations.Begin(request.FlowName, request.Force));

    public override Task<ServiceResponse> RunCommandLoad(LoadCommand request, ServerCallContext context) =>
        CommandAsync("load", context, [], request.FlowType, c =>
        {
            if (request.FlowType != "json")
            {
                throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"flow type is not supported: {request.FlowType}");
            }

            DefinitionLoader.LoadTaklerJson(c.Bunch, request.Flow.Memory);
        });

    public override Task<ServiceResponse> RunCommandLoadDef(LoadDefCommand request, ServerCallContext context) =>
        CommandAsync("load-def", context, [], $"{request.Format}{(request.Replace ? " replace" : string.Empty)}", c =>
        {
            switch (request.Format)
            {
                case DefinitionFormat.TaklerJson:
                    var json = System.Text.Encoding.UTF8.GetBytes(request.Definition);
                    if (!request.Replace && c.Bunch.FindFlow(Core.Definitions.TaklerJson.TaklerJsonReader.ReadFlow(json, Core.Definitions.TaklerJson.TaklerJsonReadMode.Tree).Name) is { } existing)
                    {
                        throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"flow {existing.Name} already exists (load with replace)");
                    }

                    DefinitionLoader.LoadTaklerJson(c.Bunch, json);
                    break;
                case DefinitionFormat.Json:
                    var restored = Core.Definitions.SnapshotJson.SnapshotReader.ReadBunch(System.Text.Encoding.UTF8.GetBytes(request.Definition));
                    var flows = restored.Flows.ToList();
                    if (!request.Replace && flows.FirstOrDefault(f => c.Bunch.FindFlow(f.Name) is not null) is { } clash)
                    {
                        throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"flow {clash.Name} already exists (load with replace)");
                    }

                    foreach (var flow in flows)
                    {
                        restored.RemoveFlow(flow.Name);
                        c.Bunch.AddFlow(flow, replace: true);
                    }

                    break;
                default:
                    DefinitionLoader.LoadDef(c.Bunch, request.Definition, "<request>", request.Replace);
                    break;
            }
        });

    public override Task<ShowResponse> RunRequestShow(ShowRequest request, ServerCallContext context) =>
        ReplicaQueryAsync(
            "show",
            b => new ShowResponse { Output = Core.Definitions.TaklerJson.TaklerJsonWriter.WriteBunch(b) },
            (_, message) => new ShowResponse { Output = $"error: {message}" },
            context);

    public override Task<PingResponse> RunRequestPing(PingRequest request, ServerCallContext context) =>
        Task.FromResult(new PingResponse());

    public override Task<CoroutineResponse> QueryCoroutine(CoroutineRequest request, ServerCallContext context)
    {
        var response = new CoroutineResponse();
        response.Coroutines.Add(new Coroutine { Name = "takler.server.engine", Description = $"batches={_engine.Batches} commands={_engine.CommandsApplied}" });
        response.Coroutines.Add(new Coroutine { Name = "takler.server.network_service", Description = "gRPC over HTTP/2" });
        return Task.FromResult(response);
    }

    public override async Task<ServiceResponse> RunCommandKill(KillCommand request, ServerCallContext context)
    {
        var response = await WrapAsync(async () =>
        {
            var jobs = await _engine.ExecuteAsync("kill", c => Resolve(c, request.NodePath)
                .SelectMany(n => n.SelfAndDescendants().OfType<TaskNode>())
                .Where(t => t.Status is CoreStatus.Submitted or CoreStatus.Active)
                .Select(SchedulerEngine.JobRequestFor)
                .ToList(), context.CancellationToken).ConfigureAwait(false);
            var failures = new List<string>();
            foreach (var job in jobs)
            {
                var outcome = await _engine.KillTask(job).ConfigureAwait(false);
                if (!outcome.Success)
                {
                    failures.Add($"{job.TaskPath}: {outcome.Reason}");
                }
            }

            if (failures.Count > 0)
            {
                throw new TaklerException(TaklerErrorCode.JobSubmission, "kill failed: " + string.Join("; ", failures));
            }
        }).ConfigureAwait(false);
        Audit(context, "kill", request.NodePath, null, response);
        return response;
    }

    public override Task<StatusResponse> RequestStatus(StatusRequest request, ServerCallContext context) =>
        ReplicaQueryAsync(
            "status",
            b =>
            {
                var node = b.GetNode(request.NodePath);
                var response = new StatusResponse
                {
                    NodePath = node.Path,
                    Status = ProtocolMapping.ToWire(node.Status),
                    Suspended = node.Suspended,
                    Kind = ProtocolMapping.KindOf(node),
                };
                if (node is TaskNode task)
                {
                    response.TryNo = task.TryNo;
                    response.Rid = task.TaskId ?? string.Empty;
                    response.TaskId = task.TaskId ?? string.Empty;
                    response.AbortedReason = task.AbortedReason ?? string.Empty;
                    response.SubmitTime = ProtocolMapping.ToTimestamp(task.SubmittedAt);
                    response.StartTime = ProtocolMapping.ToTimestamp(task.ActiveAt);
                }

                response.Meters.AddRange(node.Meters.Select(ProtocolMapping.ToWire));
                return response;
            },
            (code, message) => new StatusResponse { Flag = code, Message = message },
            context);

    public override Task<WhyResponse> RequestWhy(WhyRequest request, ServerCallContext context) =>
        QueryAsync(
            "why",
            c =>
            {
                var response = new WhyResponse();
                response.Reasons.AddRange(_engine.Why(c.Bunch.GetNode(request.NodePath)));
                return response;
            },
            (code, message) => new WhyResponse { Flag = code, Message = message },
            context);

    public override Task<TreeResponse> RequestTree(TreeRequest request, ServerCallContext context) =>
        ReplicaQueryAsync(
            "tree",
            b =>
            {
                var roots = string.IsNullOrEmpty(request.RootPath) || request.RootPath == "/"
                    ? b.Flows.Cast<Node>().ToList()
                    : [b.GetNode(request.RootPath)];
                var kinds = request.Attributes.ToHashSet();
                bool Wants(AttributeKind kind) => kinds.Contains(kind) || (request.AllAttributes && kind != AttributeKind.GeneratedParameter);
                var response = new TreeResponse();
                foreach (var root in roots)
                {
                    AddTree(response, root, 0, request.MaxDepth, Wants);
                }

                return response;
            },
            (code, message) => new TreeResponse { Flag = code, Message = message },
            context);

    public override Task<ZombiesResponse> RequestZombies(ZombiesRequest request, ServerCallContext context) =>
        QueryAsync(
            "zombies",
            _ =>
            {
                var response = new ZombiesResponse();
                foreach (var z in _state.Zombies.All)
                {
                    response.Zombies.Add(new Protocol.Zombie
                    {
                        NodePath = z.TaskPath,
                        ChildCommand = z.Command,
                        Password = z.Password,
                        TryNo = z.TryNo ?? 0,
                        Rid = z.Rid ?? string.Empty,
                        Reason = z.Reason,
                        FirstSeen = ProtocolMapping.ToTimestamp(z.FirstSeen),
                        LastSeen = ProtocolMapping.ToTimestamp(z.LastSeen),
                        Calls = z.Calls,
                        Kind = z.Reason.StartsWith("password", StringComparison.Ordinal) || z.Reason.StartsWith("no password", StringComparison.Ordinal)
                            ? ZombieKind.Password
                            : z.Reason.StartsWith("try number", StringComparison.Ordinal) ? ZombieKind.TryNo
                            : z.Reason.StartsWith("second init", StringComparison.Ordinal) ? ZombieKind.Duplicate
                            : ZombieKind.NotActive,
                    });
                }

                return response;
            },
            (code, message) => new ZombiesResponse { Flag = code, Message = message },
            context);

    public override Task<ServerStatsResponse> RequestServerStats(ServerStatsRequest request, ServerCallContext context) =>
        ReplicaQueryAsync(
            "stats",
            b =>
            {
                var now = _state.Time.GetUtcNow();
                var response = new ServerStatsResponse
                {
                    Version = ServerState.Version,
                    StartTime = ProtocolMapping.ToTimestamp(_state.StartedAt),
                    Uptime = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(now - _state.StartedAt),
                    CommandsHandled = _engine.CommandsApplied,
                    ChildCommandsHandled = Interlocked.Read(ref _state.ChildCommands),
                    FlowCount = b.Flows.Count,
                    Host = b.Host,
                    Port = b.Port.ToString(CultureInfo.InvariantCulture),
                };
                var counts = new Dictionary<CoreStatus, int>();
                var nodes = 0;
                var tasks = 0;
                foreach (var node in b.AllNodes())
                {
                    nodes++;
                    if (node is TaskNode)
                    {
                        tasks++;
                        counts[node.Status] = counts.GetValueOrDefault(node.Status) + 1;
                    }
                }

                if (_engine.Journal?.LastSnapshotAt is { } checkpoint)
                {
                    response.LastCheckpoint = ProtocolMapping.ToTimestamp(checkpoint);
                }

                response.NodeCount = nodes;
                response.TaskCount = tasks;
                foreach (var (status, count) in counts.OrderBy(p => p.Key.ToTaklerInt()))
                {
                    response.StatusCounts.Add(new StatusCount { Status = ProtocolMapping.ToWire(status), Count = count });
                }

                foreach (var (method, calls) in _state.RequestsByMethod)
                {
                    response.RequestsByMethod[method] = calls;
                }

                return response;
            },
            (code, message) => new ServerStatsResponse { Flag = code, Message = message },
            context);

    public override Task<ExportResponse> RequestExport(ExportRequest request, ServerCallContext context) =>
        ReplicaQueryAsync(
            "export",
            b => new ExportResponse
            {
                Content = request.Format == DefinitionFormat.Json ? Storage.StateExport.ToJson(b) : Storage.StateExport.ToDef(b),
            },
            (code, message) => new ExportResponse { Flag = code, Message = message },
            context);

    public override async Task WatchStatus(WatchRequest request, IServerStreamWriter<WatchEvent> responses, ServerCallContext context)
    {
        _state.Count("watch");
        StatusWatch watch;
        try
        {
            watch = new StatusWatch(request.NodePath, WantedStatuses(request.Statuses));
            if (request.Timeout?.ToTimeSpan() is { } negative && negative < TimeSpan.Zero)
            {
                throw new TaklerException(TaklerErrorCode.InvalidRequest, $"wait: the timeout must not be negative, got {negative}");
            }
        }
        catch (TaklerException e)
        {
            await responses.WriteAsync(new WatchEvent { Flag = (int)e.Code, Message = e.ProtocolMessage }, context.CancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            try
            {
                await _engine.ExecuteAsync("watch", c =>
                {
                    watch.Bind(c.Bunch); // every path is checked before the run changes anything
                    if (request.Run is { } run)
                    {
                        Submit(c, run.NodePath.Count > 0 ? run.NodePath : request.NodePath, run);
                    }

                    c.Watch(watch);
                    return true;
                }, context.CancellationToken).ConfigureAwait(false);
            }
            catch (TaklerException e)
            {
                await responses.WriteAsync(new WatchEvent { Flag = (int)e.Code, Message = e.ProtocolMessage }, context.CancellationToken).ConfigureAwait(false);
                return;
            }

            // A timeout beyond what a timer takes (about 24 days) is no timeout.
            using var timeout = request.Timeout?.ToTimeSpan() is { } t && t.TotalMilliseconds < int.MaxValue
                ? new CancellationTokenSource(t, _state.Time)
                : new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, timeout.Token);
            try
            {
                await foreach (var update in watch.Updates.ReadAllAsync(linked.Token).ConfigureAwait(false))
                {
                    await responses.WriteAsync(ToWire(update), context.CancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
            {
                await responses.WriteAsync(new WatchEvent { TimedOut = true }, context.CancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _engine.Post("unwatch", c => c.Unwatch(watch));
        }
    }

    private static HashSet<CoreStatus> WantedStatuses(IReadOnlyList<Protocol.NodeStatus> statuses)
    {
        var wanted = new HashSet<CoreStatus>();
        foreach (var status in statuses)
        {
            if (!NodeStatuses.TryFromTaklerInt((int)status, out var core))
            {
                throw new TaklerException(TaklerErrorCode.InvalidRequest, $"wait: status {(int)status} is not a node status");
            }

            wanted.Add(core);
        }

        return wanted.Count > 0 ? wanted : [CoreStatus.Complete];
    }

    private static WatchEvent ToWire(StatusUpdate update) => update.Error is { } error
        ? new WatchEvent { Flag = (int)error.Code, Message = error.ProtocolMessage }
        : new WatchEvent { NodePath = update.NodePath, Status = ProtocolMapping.ToWire(update.Status), Reached = update.Reached, TryNo = update.TryNo };

    public override Task<ServiceResponse> RunCommandCheckpoint(CheckpointCommand request, ServerCallContext context) =>
        CommandAsync("checkpoint", context, [], null, c => c.Checkpoint());

    public override Task<ServiceResponse> RunCommandDelete(DeleteCommand request, ServerCallContext context) =>
        CommandAsync("delete", context, request.NodePath, request.Force ? "force" : null, c =>
        {
            var nodes = Resolve(c, request.NodePath);
            if (!request.Force && nodes.SelectMany(n => n.SelfAndDescendants()).OfType<TaskNode>().FirstOrDefault(t => t.Status is CoreStatus.Submitted or CoreStatus.Active) is { } running)
            {
                throw new TaklerException(TaklerErrorCode.InvalidRequest, $"{running.Path} is {running.Status.Name()}; delete with force to delete it anyway");
            }

            foreach (var node in nodes)
            {
                foreach (var task in node.SelfAndDescendants().OfType<TaskNode>())
                {
                    task.ReleaseTokens();
                }

                if (node is Flow flow)
                {
                    c.Bunch.RemoveFlow(flow.Name);
                }
                else
                {
                    node.Parent!.RemoveChild(node.Name);
                }
            }
        });

    public override Task<ServiceResponse> RunCommandAlter(AlterCommand request, ServerCallContext context) =>
        CommandAsync("alter", context, request.NodePath, $"{request.Action} {request.Kind} {request.Name}={request.Value}", c =>
            NodeAlteration.Apply(c, Resolve(c, request.NodePath), request.Action, request.Kind, request.Name, request.Value));

    public override Task<ServiceResponse> RunCommandReplace(ReplaceCommand request, ServerCallContext context) =>
        CommandAsync("replace", context, [request.NodePath], $"{request.Format}{(request.CreateParents ? " create-parents" : string.Empty)}{(request.Force ? " force" : string.Empty)}", c =>
            NodeReplacement.Apply(c, request.NodePath, request.Definition, request.Format, request.CreateParents, request.Force));

    private static void AddTree(TreeResponse response, Node node, int depth, int maxDepth, Func<AttributeKind, bool> wants)
    {
        response.Nodes.Add(ProtocolMapping.ToTreeNode(node, depth, wants));
        if (maxDepth > 0 && depth + 1 > maxDepth)
        {
            return;
        }

        foreach (var child in node.Children)
        {
            AddTree(response, child, depth + 1, maxDepth, wants);
        }
    }

    private static List<Node> Resolve(EngineContext c, IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            throw new TaklerException(TaklerErrorCode.InvalidRequest, "no node path given");
        }

        return paths.Select(c.Bunch.GetNode).ToList();
    }

    private static bool SetEvent(EngineContext c, TaskNode task, string name)
    {
        // Takler: an event name the task does not have is ignored, and the command succeeds.
        c.Operations.SetEvent(task.Path, name);
        return true;
    }

    private static bool SetMeter(EngineContext c, TaskNode task, string name, string value)
    {
        if (!int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw new TaklerException(TaklerErrorCode.UnsupportedValue, $"meter {name}: '{value}' is not an integer");
        }

        c.Operations.SetMeter(task.Path, name, number);
        return true;
    }

    private static bool SetLabel(EngineContext c, TaskNode task, string name, string value)
    {
        c.Operations.SetLabel(task.Path, name, value);
        return true;
    }

    private async Task<ServiceResponse> ChildAsync<T>(
        string command,
        string? path,
        ServerCallContext context,
        ChildCommandExtension? extension,
        string? detail,
        string? detailValue,
        Func<EngineContext, TaskNode, T> apply)
    {
        Interlocked.Increment(ref _state.ChildCommands);
        _state.Count(command);
        var password = extension is { Password.Length: > 0 } ? extension.Password : context.GetRequestHeader(TaklerMetadataKeys.Password);
        int? tryNo = extension is { TryNo: > 0 } ? extension.TryNo : null;
        var rid = extension is { Rid.Length: > 0 } ? extension.Rid : null;
        var response = await WrapAsync(() => _engine.ExecuteAsync(command, c =>
        {
            var nodePath = path ?? string.Empty;
            NodePaths.RequireAbsolute(nodePath);
            var node = c.Bunch.FindNode(nodePath) ?? throw TaklerException.NodeNotFound(nodePath);
            var task = node as TaskNode ?? throw new TaklerException(TaklerErrorCode.NodeType, $"node must be Task: {nodePath}");
            if (_state.ChildGuard.Check(task, command, password, tryNo, rid))
            {
                apply(c, task);
            }

            return true;
        }, context.CancellationToken)).ConfigureAwait(false);
        if (_state.Audit is not null)
        {
            // "name=value" for a meter: built only for the audit log.
            Audit(context, command, path is null ? [] : [path], detailValue is null ? detail : $"{detail}={detailValue}", response);
        }

        return response;
    }

    private async Task<ServiceResponse> CommandAsync(string name, ServerCallContext context, IReadOnlyList<string> paths, string? detail, Action<EngineContext> apply)
    {
        _state.Count(name);
        var response = await WrapAsync(() => _engine.ExecuteAsync(name, c =>
        {
            apply(c);
            return true;
        })).ConfigureAwait(false);
        Audit(context, name, paths, detail, response);
        return response;
    }

    /// <summary>Records a command and its outcome in the audit log, when there is one.</summary>
    private void Audit(ServerCallContext context, string command, IReadOnlyList<string> paths, string? detail, ServiceResponse response)
    {
        if (_state.Audit is not { } audit)
        {
            return;
        }

        // The authenticated user when the server has users; otherwise only what the client claims.
        var user = context.User ?? context.GetRequestHeader(TaklerMetadataKeys.User);
        audit.Record(new AuditEntry(
            _state.Time.GetUtcNow(),
            context.Peer,
            string.IsNullOrEmpty(user) ? null : user,
            command,
            [.. paths],
            detail,
            response.Flag,
            response.Flag == 0 ? null : response.Message));
    }

    private Task<TResponse> QueryAsync<TResponse>(
        string name,
        Func<EngineContext, TResponse> query,
        Func<int, string, TResponse> failure,
        ServerCallContext context) =>
        AnswerAsync(name, () => _engine.ExecuteAsync(name, query, context.CancellationToken), failure);

    /// <summary>A read-only query served from the engine's replica, off the loop (see <see cref="QueryReplica"/>).</summary>
    private Task<TResponse> ReplicaQueryAsync<TResponse>(
        string name,
        Func<Bunch, TResponse> query,
        Func<int, string, TResponse> failure,
        ServerCallContext context) =>
        AnswerAsync(name, () => _engine.Replica.ReadAsync(query, context.CancellationToken), failure);

    /// <summary>Counts a query and runs it; a Takler error becomes the response's flag and message.</summary>
    private async Task<TResponse> AnswerAsync<TResponse>(string name, Func<Task<TResponse>> run, Func<int, string, TResponse> failure)
    {
        _state.Count(name);
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (TaklerException e)
        {
            return failure((int)e.Code, e.ProtocolMessage);
        }
    }

    private async Task<ServiceResponse> WrapAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
            return new ServiceResponse();
        }
        catch (TaklerException e)
        {
            return new ServiceResponse { Flag = (int)e.Code, Message = e.ProtocolMessage };
        }
        catch (OperationCanceledException)
        {
            throw;
        }
#pragma warning disable CA1031 // Takler answers any other failure with flag 99 and the exception's type and text.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogInternalError(e);
            return new ServiceResponse { Flag = (int)TaklerErrorCode.InternalError, Message = $"{e.GetType().Name}: {e.Message}" };
        }
    }

    private static ServiceResponse Failure(TaklerErrorCode code, string message) =>
        new() { Flag = (int)code, Message = $"{TaklerErrorCodes.ExceptionTypeName(code)}: {message}" };

    [LoggerMessage(Level = LogLevel.Error, Message = "internal error")]
    private partial void LogInternalError(Exception e);
}
