using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Takler.Client.Retry;
using Takler.Protocol;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Client;
using ForceState = Takler.Protocol.ForceCommand.Types.ForceState;
using DepType = Takler.Protocol.FreeDepCommand.Types.DepType;

namespace Takler.Client;

/// <summary>
/// The client of a Takler server, as in Takler's tutorial:
/// <code>
/// using var client = new TaklerServiceClient();   // TAKLER_HOST/TAKLER_PORT, else localhost:33083
/// await client.PingAsync();
/// client.SetHostPort("login_a06", 33083);
/// </code>
/// One method per server command. Each retries transport failures within its command kind's window (§4.5) and
/// never retries a command the server answered. A failure throws <see cref="TaklerClientException"/>.
/// </summary>
public sealed class TaklerServiceClient : IDisposable
{
    /// <summary>The largest response accepted: 256 MiB.</summary>
    private const int MaxReceiveMessageSize = 256 * 1024 * 1024;

    private readonly TaklerClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<string, string?> _environment;
    private readonly Lock _gate = new();
    private IReadOnlyList<ServerAddress> _addresses;
    private int _current;
    private GrpcChannel? _channel;
    private TaklerServerClient? _client;

    /// <summary>A client of the server named by TAKLER_HOST/TAKLER_PORT, else <c>localhost:33083</c>.</summary>
    public TaklerServiceClient()
        : this(address: null, options: null)
    {
    }

    /// <summary>A client of <paramref name="host"/>:<paramref name="port"/>.</summary>
    public TaklerServiceClient(string host, int port, TaklerClientOptions? options = null)
        : this(new ServerAddress(host, port.ToString(CultureInfo.InvariantCulture)), options)
    {
    }

    /// <summary>
    /// A client of <paramref name="address"/> (null: resolved from the environment — TAKLER_HOST may list several
    /// servers and TAKLER_HOSTFILE name a file of them — else the default).
    /// </summary>
    public TaklerServiceClient(ServerAddress? address, TaklerClientOptions? options = null)
        : this(options, address is null ? null : [address])
    {
    }

    private TaklerServiceClient(TaklerClientOptions? options, IReadOnlyList<ServerAddress>? addresses)
    {
        _options = options ?? new TaklerClientOptions();
        _time = _options.TimeProvider;
        _environment = _options.Environment ?? System.Environment.GetEnvironmentVariable;
        _addresses = addresses is { Count: > 0 } ? [.. addresses] : ServerAddress.ResolveAll(environment: _environment);
        Job = JobIdentity.FromEnvironment(_environment);
    }

    /// <summary>
    /// A client of the first of <paramref name="addresses"/> that answers: a call the current server does not answer
    /// (UNAVAILABLE) is tried on the next one at once, and the retry backoff applies once each server has failed.
    /// Empty: resolved from the environment, as <see cref="ServerAddress.ResolveAll"/>.
    /// </summary>
    public static TaklerServiceClient ForServers(IReadOnlyList<ServerAddress> addresses, TaklerClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return new TaklerServiceClient(options, addresses);
    }

    /// <summary>The address of the server in use.</summary>
    public ServerAddress Address => _addresses[_current];

    /// <summary>Every server this client may use, in the order they are tried.</summary>
    public IReadOnlyList<ServerAddress> Addresses => _addresses;

    /// <summary>The identity sent with child commands. The default value is read from TAKLER_PASS, TAKLER_TRY_NO and TAKLER_RID.</summary>
    public JobIdentity Job { get; set; }

    /// <summary>Points the client at another server; the next call connects there.</summary>
    public void SetHostPort(string host, int port) => SetHostPort(host, port.ToString(CultureInfo.InvariantCulture));

    /// <inheritdoc cref="SetHostPort(string, int)"/>
    public void SetHostPort(string host, string port)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(port);
        CloseChannel();
        _addresses = [new ServerAddress(host, port)];
        _current = 0;
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => CloseChannel();

    // ---- queries ----

    /// <summary>Pings the server; returns the round trip, connection set-up included (as Takler measures it).</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var start = _time.GetTimestamp();
        await CallAsync("ping", CommandKind.Query, [], (c, d, ct) => c.RunRequestPingAsync(new PingRequest(), null, d, ct), cancellationToken).ConfigureAwait(false);
        return _time.GetElapsedTime(start);
    }

    /// <summary>
    /// The server's tree as Takler's JSON (<c>Bunch.to_dict()</c>). Throws a server_response error when the server
    /// answers <c>error: ...</c> or something that is not JSON.
    /// </summary>
    public async Task<string> ShowAsync(CancellationToken cancellationToken = default)
    {
        var request = new ShowRequest { ShowLimit = true, ShowEvent = true, ShowMeter = true };
        var response = await CallAsync("show", CommandKind.Query, [], (c, d, ct) => c.RunRequestShowAsync(request, null, d, ct), cancellationToken).ConfigureAwait(false);
        var output = response.Output;
        if (output.StartsWith("error:", StringComparison.Ordinal))
        {
            throw TaklerClientException.Local("ServerResponseError", $"server returned an error for show: {output}", Address, "show");
        }

        if (!IsJson(output))
        {
            throw TaklerClientException.Local("ServerResponseError", $"show response is not valid json: {output[..Math.Min(200, output.Length)]}", Address, "show");
        }

        return output;
    }

    /// <summary>
    /// The tree below <paramref name="rootPath"/> (null or <c>/</c>: every flow) as typed nodes in pre-order, down to
    /// <paramref name="maxDepth"/> levels (0: all), with every attribute or none; the generated parameters (about ten per
    /// task, job passwords withheld) only when <paramref name="generatedParameters"/> is set.
    /// </summary>
    public async Task<IReadOnlyList<TreeNode>> TreeAsync(string? rootPath = null, int maxDepth = 0, bool allAttributes = true, bool generatedParameters = false, CancellationToken cancellationToken = default)
    {
        var request = new TreeRequest { RootPath = rootPath ?? string.Empty, MaxDepth = maxDepth, AllAttributes = allAttributes };
        if (generatedParameters)
        {
            request.Attributes.Add(AttributeKind.GeneratedParameter);
        }

        var response = await CallAsync("tree", CommandKind.Query, Paths(rootPath), (c, d, ct) => c.RequestTreeAsync(request, null, d, ct), cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(response.Flag, response.Message, "tree", Paths(rootPath));
        return response.Nodes;
    }

    /// <summary>One node's status, try number, remote id, times and meters.</summary>
    public async Task<StatusResponse> StatusAsync(string nodePath, CancellationToken cancellationToken = default)
    {
        var request = new StatusRequest { NodePath = nodePath };
        var response = await CallAsync("status", CommandKind.Query, [nodePath], (c, d, ct) => c.RequestStatusAsync(request, null, d, ct), cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(response.Flag, response.Message, "status", [nodePath]);
        return response;
    }

    /// <summary>Why a node is not running: one reason per item; empty when nothing holds it.</summary>
    public async Task<IReadOnlyList<string>> WhyAsync(string nodePath, CancellationToken cancellationToken = default)
    {
        var request = new WhyRequest { NodePath = nodePath };
        var response = await CallAsync("why", CommandKind.Query, [nodePath], (c, d, ct) => c.RequestWhyAsync(request, null, d, ct), cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(response.Flag, response.Message, "why", [nodePath]);
        return response.Reasons;
    }

    /// <summary>The zombies the server has seen.</summary>
    public async Task<IReadOnlyList<Zombie>> ZombiesAsync(CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("zombies", CommandKind.Query, [], (c, d, ct) => c.RequestZombiesAsync(new ZombiesRequest(), null, d, ct), cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(response.Flag, response.Message, "zombies", []);
        return response.Zombies;
    }

    /// <summary>The server's uptime, counts and version.</summary>
    public async Task<ServerStatsResponse> StatsAsync(CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("stats", CommandKind.Query, [], (c, d, ct) => c.RequestServerStatsAsync(new ServerStatsRequest(), null, d, ct), cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(response.Flag, response.Message, "stats", []);
        return response;
    }

    /// <summary>The whole server state: ecFlow .def text with state, or (with <paramref name="json"/>) our lossless JSON.</summary>
    public async Task<string> ExportAsync(bool json = false, CancellationToken cancellationToken = default)
    {
        var request = new ExportRequest { Format = json ? DefinitionFormat.Json : DefinitionFormat.EcflowDef };
        var response = await CallAsync("export", CommandKind.Query, [], (c, d, ct) => c.RequestExportAsync(request, null, d, ct), cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(response.Flag, response.Message, "export", []);
        return response.Content;
    }

    /// <summary>Makes the server write a snapshot of its state now.</summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("checkpoint", CommandKind.Control, [], (c, d, ct) => c.RunCommandCheckpointAsync(new CheckpointCommand(), null, d, ct), cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(response.Flag, response.Message, "checkpoint", []);
    }

    /// <summary>The server's running coroutines (Takler's diagnostics): name and description.</summary>
    public async Task<IReadOnlyList<Coroutine>> CoroutinesAsync(CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("coroutine", CommandKind.Query, [], (c, d, ct) => c.QueryCoroutineAsync(new CoroutineRequest(), null, d, ct), cancellationToken).ConfigureAwait(false);
        return response.Coroutines;
    }

    // ---- child commands ----

    /// <summary>The task's job has started; <paramref name="taskId"/> (null: the job's remote id) names the job.</summary>
    public Task InitAsync(string nodePath, string? taskId = null, CancellationToken cancellationToken = default)
    {
        var command = new InitCommand { ChildOptions = Child(nodePath), TaskId = taskId ?? Job.Rid ?? string.Empty };
        return ChildAsync("init", nodePath, r => r.Init = command, (c, h, d, ct) => c.RunCommandInitAsync(command, h, d, ct), cancellationToken);
    }

    /// <summary>The task's job has completed.</summary>
    public Task CompleteAsync(string nodePath, CancellationToken cancellationToken = default)
    {
        var command = new CompleteCommand { ChildOptions = Child(nodePath) };
        return ChildAsync("complete", nodePath, r => r.Complete = command, (c, h, d, ct) => c.RunCommandCompleteAsync(command, h, d, ct), cancellationToken);
    }

    /// <summary>The task's job has aborted.</summary>
    public Task AbortAsync(string nodePath, string? reason = null, CancellationToken cancellationToken = default)
    {
        var command = new AbortCommand { ChildOptions = Child(nodePath), Reason = reason ?? string.Empty };
        return ChildAsync("abort", nodePath, r => r.Abort = command, (c, h, d, ct) => c.RunCommandAbortAsync(command, h, d, ct), cancellationToken);
    }

    /// <summary>Sets an event of the task.</summary>
    public Task EventAsync(string nodePath, string eventName, CancellationToken cancellationToken = default)
    {
        var command = new EventCommand { ChildOptions = Child(nodePath), EventName = eventName };
        return ChildAsync("event", nodePath, r => r.Event = command, (c, h, d, ct) => c.RunCommandEventAsync(command, h, d, ct), cancellationToken);
    }

    /// <summary>Sets a meter of the task; <paramref name="value"/> is a decimal integer as text.</summary>
    public Task MeterAsync(string nodePath, string meterName, string value, CancellationToken cancellationToken = default)
    {
        var command = new MeterCommand { ChildOptions = Child(nodePath), MeterName = meterName, MeterValue = value };
        return ChildAsync("meter", nodePath, r => r.Meter = command, (c, h, d, ct) => c.RunCommandMeterAsync(command, h, d, ct), cancellationToken);
    }

    /// <inheritdoc cref="MeterAsync(string, string, string, CancellationToken)"/>
    public Task MeterAsync(string nodePath, string meterName, int value, CancellationToken cancellationToken = default) =>
        MeterAsync(nodePath, meterName, value.ToString(CultureInfo.InvariantCulture), cancellationToken);

    /// <summary>Sets a label of the task (an extension: Takler's own server has no labels).</summary>
    public Task LabelAsync(string nodePath, string labelName, string value, CancellationToken cancellationToken = default)
    {
        var command = new LabelCommand { ChildOptions = Child(nodePath), LabelName = labelName, LabelValue = value };
        return ChildAsync("label", nodePath, r => r.Label = command, fallback: null, cancellationToken);
    }

    // ---- control commands ----

    /// <summary>Requeues nodes.</summary>
    public Task RequeueAsync(IEnumerable<string> nodePaths, CancellationToken cancellationToken = default)
    {
        var request = new RequeueCommand { NodePath = { nodePaths } };
        return CommandAsync("requeue", request.NodePath, (c, d, ct) => c.RunCommandRequeueAsync(request, null, d, ct), cancellationToken);
    }

    /// <summary>Suspends nodes.</summary>
    public Task SuspendAsync(IEnumerable<string> nodePaths, CancellationToken cancellationToken = default)
    {
        var request = new SuspendCommand { NodePath = { nodePaths } };
        return CommandAsync("suspend", request.NodePath, (c, d, ct) => c.RunCommandSuspendAsync(request, null, d, ct), cancellationToken);
    }

    /// <summary>Resumes suspended nodes.</summary>
    public Task ResumeAsync(IEnumerable<string> nodePaths, CancellationToken cancellationToken = default)
    {
        var request = new SuspendCommand { NodePath = { nodePaths } };
        return CommandAsync("resume", request.NodePath, (c, d, ct) => c.RunCommandResumeAsync(request, null, d, ct), cancellationToken);
    }

    /// <summary>Runs tasks now, ignoring their dependencies; <paramref name="force"/> also runs submitted or active ones.</summary>
    public Task RunAsync(IEnumerable<string> nodePaths, bool force = false, CancellationToken cancellationToken = default)
    {
        var request = new RunCommand { Force = force, NodePath = { nodePaths } };
        return CommandAsync("run", request.NodePath, (c, d, ct) => c.RunCommandRunAsync(request, null, d, ct), cancellationToken);
    }

    /// <summary>
    /// Runs tasks now, ignoring their dependencies, with <paramref name="parameters"/> as variables of this run's jobs
    /// only (the definition is not changed). Without parameters this is Takler's own run, which any server knows.
    /// </summary>
    public Task RunAsync(IEnumerable<string> nodePaths, bool force, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0)
        {
            return RunAsync(nodePaths, force, cancellationToken);
        }

        var request = new SubmitCommand { Force = force, NodePath = { nodePaths } };
        foreach (var (name, value) in parameters)
        {
            request.Parameters[name] = value;
        }

        return CommandAsync("run", request.NodePath, (c, d, ct) => c.RunCommandSubmitAsync(request, null, d, ct), cancellationToken);
    }

    /// <summary>
    /// Queues tasks for the scheduler, which submits each as soon as its limits have tokens, highest priority first:
    /// each task (submitted and active ones skipped) is requeued with its own triggers and times freed for this run.
    /// <paramref name="priority"/>, when given, is set as each task's TAKLER_PRIORITY parameter and stays on the task.
    /// All paths are checked before anything changes.
    /// </summary>
    public Task QueueAsync(IEnumerable<string> nodePaths, int? priority, CancellationToken cancellationToken = default)
    {
        var request = new SubmitCommand { NodePath = { nodePaths }, Queue = true };
        if (priority is { } value)
        {
            request.Priority = value;
        }

        return CommandAsync("run", request.NodePath, (c, d, ct) => c.RunCommandSubmitAsync(request, null, d, ct), cancellationToken);
    }

    /// <summary>
    /// Runs tasks now, ignoring their dependencies, like Gearman's <c>submit_job</c>: without
    /// <see cref="RunOptions.Wait"/> it returns once the server accepted the run (each result
    /// <see cref="RunOutcome.Accepted"/>); with it, once every node is complete or aborted or the timeout passed.
    /// One result per path, in order; <see cref="RunOutcome.Unknown"/> when no server could be reached. With
    /// <see cref="RunOptions.Queue"/> the tasks wait for their limits instead, in <see cref="RunOptions.Priority"/> order.
    /// </summary>
    public async Task<IReadOnlyList<NodeRunResult>> RunAsync(IEnumerable<string> nodePaths, RunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodePaths);
        ArgumentNullException.ThrowIfNull(options);
        var paths = nodePaths.ToList();
        var run = new SubmitCommand { Force = options.Force, NodePath = { paths }, Parameters = { options.Parameters }, Queue = options.Queue };
        if (options.Priority is { } priority)
        {
            run.Priority = priority;
        }

        if (options.Wait)
        {
            return await WatchAsync("run", paths, [NodeStatus.Complete, NodeStatus.Aborted], options.Timeout, run, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await (options.Queue || options.Priority is not null
                ? CommandAsync("run", run.NodePath, (c, d, ct) => c.RunCommandSubmitAsync(run, null, d, ct), cancellationToken)
                : RunAsync(paths, options.Force, options.Parameters, cancellationToken)).ConfigureAwait(false);

            return [.. paths.Select(p => new NodeRunResult(p, RunOutcome.Accepted, NodeStatus.Unspecified, 0))];
        }
        catch (TaklerClientException e) when (e.ErrorType == "ClientConnectionError")
        {
            return Unknown(paths);
        }
    }

    /// <summary>
    /// Waits, without polling, until every node has reached one of <paramref name="statuses"/> (null or empty:
    /// complete) or <paramref name="timeout"/> passed (null: no timeout). One result per path, in order;
    /// <see cref="RunOutcome.Unknown"/> when no server could be reached or the connection was lost.
    /// </summary>
    public Task<IReadOnlyList<NodeRunResult>> WaitAsync(IEnumerable<string> nodePaths, IEnumerable<NodeStatus>? statuses = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodePaths);
        var wanted = statuses?.ToList() ?? [];
        return WatchAsync("wait", [.. nodePaths], wanted.Count > 0 ? wanted : [NodeStatus.Complete], timeout, null, cancellationToken);
    }

    /// <summary>Forces a status on nodes (recursively by default, as Takler's CLI), or sets/clears events (<c>node:event</c>).</summary>
    public Task ForceAsync(ForceState state, IEnumerable<string> paths, bool recursive = true, CancellationToken cancellationToken = default)
    {
        var request = new ForceCommand { State = state, Recursive = recursive, Path = { paths } };
        return CommandAsync("force", request.Path, (c, d, ct) => c.RunCommandForceAsync(request, null, d, ct), cancellationToken);
    }

    /// <summary>Frees nodes from their trigger and/or time dependencies.</summary>
    public Task FreeDepAsync(DepType depType, IEnumerable<string> paths, CancellationToken cancellationToken = default)
    {
        var request = new FreeDepCommand { DepType = depType, Path = { paths } };
        return CommandAsync("free-dep", request.Path, (c, d, ct) => c.RunCommandFreeDepAsync(request, null, d, ct), cancellationToken);
    }

    /// <summary>
    /// Loads a definition file, chosen by content: Takler's Flow JSON (first non-blank character <c>{</c>) goes as
    /// Takler's <c>load</c>, which replaces a flow of the same name; anything else is ecFlow <c>.def</c> text, where a
    /// name clash is an error unless <paramref name="replace"/>.
    /// </summary>
    public async Task LoadAsync(string filePath, bool replace = false, CancellationToken cancellationToken = default)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(filePath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw TaklerClientException.Local("FileNotFoundError", $"[Errno 2] No such file or directory: '{filePath}'", Address, "load", [filePath], e);
        }

        if (LooksLikeJson(bytes))
        {
            await LoadFlowJsonAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await LoadDefinitionAsync(Encoding.UTF8.GetString(bytes), DefinitionFormat.EcflowDef, replace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takler's <c>load</c>: one flow as Takler's JSON (<c>Flow.to_dict()</c>), replacing a flow of the same name.</summary>
    public Task LoadFlowJsonAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        var request = new LoadCommand { FlowType = "json", Flow = ByteString.CopyFrom(utf8Json.Span) };
        return CommandAsync("load", [], (c, d, ct) => c.RunCommandLoadAsync(request, null, LoadDeadline(d, utf8Json.Length), ct), cancellationToken);
    }

    /// <summary>Loads definition text: ecFlow <c>.def</c> by default, or one of the JSON formats.</summary>
    public Task LoadDefinitionAsync(string definition, DefinitionFormat format = DefinitionFormat.EcflowDef, bool replace = false, CancellationToken cancellationToken = default)
    {
        var request = new LoadDefCommand { Definition = definition, Format = format, Replace = replace };
        return CommandAsync("load", [], (c, d, ct) => c.RunCommandLoadDefAsync(request, null, LoadDeadline(d, definition.Length), ct), cancellationToken);
    }

    /// <summary>
    /// A definition load's deadline: the attempt's, plus a second for every 256 KiB, because the server reads, checks
    /// and stores the whole definition before it answers (a 15 MiB, 100,000-task .def gets 70 s). A load that timed out
    /// may have been applied, and its retry then fails with "already exists": too short a deadline must not cause that.
    /// </summary>
    private static DateTimeOffset LoadDeadline(DateTimeOffset attemptDeadline, long bytes) =>
        attemptDeadline + TimeSpan.FromSeconds(bytes / (256 * 1024));

    /// <summary>Begins one flow, or every flow when <paramref name="flowName"/> is null or empty.</summary>
    public Task BeginAsync(string? flowName = null, bool force = false, CancellationToken cancellationToken = default)
    {
        var request = new BeginCommand { FlowName = flowName ?? string.Empty, Force = force };
        return CommandAsync("begin", Paths(flowName), (c, d, ct) => c.RunCommandBeginAsync(request, null, d, ct), cancellationToken);
    }

    /// <summary>Kills the jobs of the submitted or active tasks at or below the nodes.</summary>
    public Task KillAsync(IEnumerable<string> nodePaths, CancellationToken cancellationToken = default)
    {
        var request = new KillCommand { NodePath = { nodePaths } };
        return CommandAsync("kill", request.NodePath, (c, d, ct) => c.RunCommandKillAsync(request, null, d, ct), cancellationToken);
    }

    /// <summary>Adds, changes or deletes an attribute of nodes.</summary>
    public Task AlterAsync(IEnumerable<string> nodePaths, AlterAction action, AttributeKind kind, string name, string value = "", CancellationToken cancellationToken = default)
    {
        var request = new AlterCommand { NodePath = { nodePaths }, Action = action, Kind = kind, Name = name, Value = value };
        return CommandAsync("alter", request.NodePath, (c, d, ct) => c.RunCommandAlterAsync(request, null, d, ct), cancellationToken);
    }

    /// <summary>
    /// Replaces the node at <paramref name="nodePath"/> by the node at the same path in <paramref name="definition"/>
    /// (ecFlow <c>.def</c> text by default), in place; <paramref name="createParents"/> adds it when it does not exist,
    /// <paramref name="force"/> replaces even when tasks below are submitted or active. The defaults are false.
    /// </summary>
    public Task ReplaceAsync(string nodePath, string definition, DefinitionFormat format = DefinitionFormat.EcflowDef, bool createParents = false, bool force = false, CancellationToken cancellationToken = default)
    {
        var request = new ReplaceCommand { NodePath = nodePath, Definition = definition, Format = format, CreateParents = createParents, Force = force };
        return CommandAsync("replace", [nodePath], (c, d, ct) => c.RunCommandReplaceAsync(request, null, LoadDeadline(d, definition.Length), ct), cancellationToken);
    }

    /// <summary>Deletes nodes; <paramref name="force"/> also deletes nodes with submitted or active tasks.</summary>
    public Task DeleteAsync(IEnumerable<string> nodePaths, bool force = false, CancellationToken cancellationToken = default)
    {
        var request = new DeleteCommand { NodePath = { nodePaths }, Force = force };
        return CommandAsync("delete", request.NodePath, (c, d, ct) => c.RunCommandDeleteAsync(request, null, d, ct), cancellationToken);
    }

    // ---- plumbing ----

    /// <summary>
    /// Streams the nodes' statuses until all have reached a wanted one or the timeout passed. A server that does not
    /// answer before the first event is left for the next; a stream lost midway leaves the nodes not yet reached
    /// <see cref="RunOutcome.Unknown"/> (a run is not sent twice).
    /// </summary>
    private async Task<IReadOnlyList<NodeRunResult>> WatchAsync(
        string name,
        List<string> paths,
        IReadOnlyList<NodeStatus> statuses,
        TimeSpan? timeout,
        SubmitCommand? run,
        CancellationToken cancellationToken)
    {
        if (timeout is { } negative && negative < TimeSpan.Zero)
        {
            throw TaklerClientException.Local("ValueError", $"{name}: the timeout must not be negative, got {negative}", Address, name, paths);
        }

        var request = new WatchRequest { NodePath = { paths }, Statuses = { statuses }, Run = run };
        if (timeout is { } t)
        {
            request.Timeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(t);
        }

        var seen = new Dictionary<string, WatchEvent>(StringComparer.Ordinal);
        var timedOut = false;
        for (var tried = 1; ; tried++)
        {
            var received = false;
            try
            {
                // The server ends the stream at the timeout; the deadline only guards against one that never does.
                DateTimeOffset? deadline = timeout is { } w ? _time.GetUtcNow() + w + _options.Retry.AttemptTimeout : null;
                await foreach (var e in GetClient().WatchStatusAsync(request, null, deadline, cancellationToken).ConfigureAwait(false))
                {
                    received = true;
                    ThrowIfFailed(e.Flag, e.Message, name, paths);
                    if (e.TimedOut)
                    {
                        timedOut = true;
                        break;
                    }

                    seen[e.NodePath] = e;
                }

                break;
            }
            catch (RpcException e) when (!received && e.StatusCode == StatusCode.Unavailable && tried < _addresses.Count)
            {
                Warn($"{name}: server {Address} is unavailable, trying the next");
                NextAddress();
            }
            catch (RpcException e) when (RetryOptions.IsRetryable(e.StatusCode))
            {
                Warn($"{name}: lost server {Address} (gRPC status {e.StatusCode.ToCanonicalName()}): {e.Detail}");
                break;
            }
            catch (RpcException e)
            {
                throw TaklerClientException.FromStatus("TransportError", $"{name} on server {Address} failed with gRPC status {e.StatusCode.ToCanonicalName()}: {e.Detail}", e.StatusCode, Address, name, paths, e);
            }
        }

        return [.. paths.Select(p => Result(p, seen.GetValueOrDefault(p), timedOut))];
    }

    private static NodeRunResult Result(string path, WatchEvent? last, bool timedOut)
    {
        if (last is null)
        {
            return new NodeRunResult(path, timedOut ? RunOutcome.TimedOut : RunOutcome.Unknown, NodeStatus.Unspecified, 0);
        }

        var outcome = !last.Reached ? (timedOut ? RunOutcome.TimedOut : RunOutcome.Unknown)
            : last.Status switch
            {
                NodeStatus.Complete => RunOutcome.Complete,
                NodeStatus.Aborted => RunOutcome.Aborted,
                _ => RunOutcome.Reached,
            };
        return new NodeRunResult(path, outcome, last.Status, last.TryNo);
    }

    private static List<NodeRunResult> Unknown(List<string> paths) =>
        [.. paths.Select(p => new NodeRunResult(p, RunOutcome.Unknown, NodeStatus.Unspecified, 0))];

    /// <summary>Moves to the next server of the list (for fail-over); the next call connects there.</summary>
    private void NextAddress()
    {
        CloseChannel();
        _current = (_current + 1) % _addresses.Count;
    }

    /// <summary>Whether a document's first non-blank character (after a UTF-8 BOM) is <c>{</c>.</summary>
    public static bool LooksLikeJson(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return b == (byte)'{';
            }
        }

        return false;
    }

    /// <summary>Takler's log line: <c>2026-06-30T11:38:10.123+08:00 WARNING client &lt;message&gt;</c>.</summary>
    public static string FormatLogLine(DateTimeOffset localTime, string level, string message) =>
        $"{localTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)} {level} client {message}";

    private static ChildCommandOptions Child(string nodePath) => new() { NodePath = nodePath ?? string.Empty };

    private static string[] Paths(string? path) => string.IsNullOrEmpty(path) ? [] : [path];

    private async Task ChildAsync(
        string name,
        string nodePath,
        Action<ChildCommandRequest> set,
        Func<TaklerServerClient, Metadata?, DateTimeOffset, CancellationToken, Task<ServiceResponse>>? fallback,
        CancellationToken cancellationToken)
    {
        var job = Job;
        var request = new ChildCommandRequest
        {
            Extension = new ChildCommandExtension { Password = job.Password ?? string.Empty, TryNo = job.TryNo, Rid = job.Rid ?? string.Empty },
        };
        set(request);
        Metadata? headers = string.IsNullOrEmpty(job.Password) ? null : new Metadata { { TaklerMetadataKeys.Password, job.Password } };
        var response = await CallAsync(name, CommandKind.Child, [nodePath], async (c, d, ct) =>
        {
            try
            {
                return await c.RunChildCommandAsync(request, headers, d, ct).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented && fallback is not null)
            {
                // A Takler (Python) server has only the classic child RPCs; the password still travels as metadata.
                return await fallback(c, headers, d, ct).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(response.Flag, response.Message, name, [nodePath]);
    }

    private async Task CommandAsync(
        string name,
        IReadOnlyList<string> paths,
        Func<TaklerServerClient, DateTimeOffset, CancellationToken, Task<ServiceResponse>> call,
        CancellationToken cancellationToken)
    {
        var response = await CallAsync(name, CommandKind.Control, paths, call, cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(response.Flag, response.Message, name, paths);
    }

    private void ThrowIfFailed(int flag, string message, string command, IReadOnlyList<string> paths)
    {
        if (flag != 0)
        {
            throw TaklerClientException.FromResponse(flag, message, Address, command, [.. paths]);
        }
    }

    /// <summary>
    /// One logical call: attempts with a deadline each, retried on UNAVAILABLE, DEADLINE_EXCEEDED,
    /// RESOURCE_EXHAUSTED and UNKNOWN with backoff until the kind's window is used up (§4.5).
    /// </summary>
    private async Task<T> CallAsync<T>(
        string name,
        CommandKind kind,
        IReadOnlyList<string> paths,
        Func<TaklerServerClient, DateTimeOffset, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        var retry = _options.Retry;
        var window = retry.ResolveWindow(kind, _environment(RetryOptions.TimeoutVariable), Warn);
        var client = GetClient(); // made before the clock starts: the window is for the server, not for set-up
        var started = _time.GetTimestamp();
        var untried = _addresses.Count - 1;
        var round = 1; // with several servers, one round tries each once; the backoff grows by rounds
        for (var attempt = 1; ; attempt++)
        {
            RpcException failure;
            try
            {
                return await call(client, _time.GetUtcNow() + retry.AttemptTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                failure = e;
            }

            var status = failure.StatusCode.ToCanonicalName();
            var errorType = failure.StatusCode switch
            {
                StatusCode.InvalidArgument => "InvalidRequestError",
                StatusCode.NotFound => "NodeNotFoundError",
                StatusCode.PermissionDenied or StatusCode.Unauthenticated => "PermissionDeniedError",
                _ when !RetryOptions.IsRetryable(failure.StatusCode) => "TransportError",
                _ => null,
            };
            if (errorType is not null)
            {
                throw TaklerClientException.FromStatus(errorType, $"{name} on server {Address} failed with gRPC status {status}: {failure.Detail}", failure.StatusCode, Address, name, [.. paths], failure);
            }

            var elapsed = _time.GetElapsedTime(started);
            if (retry.NextDelay(round, elapsed, window) is not { } delay)
            {
                throw TaklerClientException.FromStatus("ClientConnectionError", $"server {Address} is unreachable after {attempt} attempts, last gRPC status {status}", failure.StatusCode, Address, name, [.. paths], failure);
            }

            Warn(string.Create(CultureInfo.InvariantCulture, $"retry {name} to {Address}: elapsed={elapsed.TotalSeconds:0.0}s, status={status}"));
            if (failure.StatusCode == StatusCode.Unavailable && _addresses.Count > 1)
            {
                // ecFlow's host file: the next server is tried at once; the backoff waits once all of them failed.
                NextAddress();
                client = GetClient();
                if (untried-- > 0)
                {
                    continue;
                }

                untried = _addresses.Count - 1;
            }

            round++;
            await (_options.Delay ?? DefaultDelay)(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task DefaultDelay(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, _time, cancellationToken);

    private void Warn(string message)
    {
        var line = FormatLogLine(_time.GetLocalNow(), "WARNING", message);
        if (_options.Log is { } log)
        {
            log(line);
        }
        else
        {
            Console.Error.WriteLine(line);
        }
    }

    private TaklerServerClient GetClient()
    {
        // Calls may run concurrently (a pool sends several at once): one channel is made, under the lock.
        lock (_gate)
        {
            return _client ?? CreateClient();
        }
    }

    private TaklerServerClient CreateClient()
    {
        CallInvoker invoker;
        if (_options.CallInvokerFactory is { } factory)
        {
            invoker = factory(Address);
        }
        else
        {
            // The whole tree of a large server (show, tree, export) is tens of MiB, beyond gRPC's usual 4 MiB.
            _channel = GrpcChannel.ForHost(Address.Host, Address.PortNumber, new GrpcChannelOptions { TimeProvider = _time, MaxReceiveMessageSize = MaxReceiveMessageSize });
            invoker = _channel.CreateCallInvoker();
        }

        var credentials = _options.Credentials ?? TaklerCredentials.FromEnvironment(_environment);
        return _client = new TaklerServerClient(credentials is null ? invoker : new CredentialsCallInvoker(invoker, credentials, _time));
    }

    private void CloseChannel()
    {
        lock (_gate)
        {
            _channel?.Dispose();
            _channel = null;
            _client = null;
        }
    }

    private static bool IsJson(string text)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
