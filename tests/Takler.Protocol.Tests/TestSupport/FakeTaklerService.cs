using System.Globalization;
using Takler.Protocol.Grpc;
using Takler.Protocol.Grpc.Server;

namespace Takler.Protocol.Tests.TestSupport;

/// <summary>A service whose answers show what reached it.</summary>
internal sealed class FakeTaklerService : TaklerServerServiceBase
{
    private readonly TaskCompletionSource<ServerCallContext> _slowCallCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ServerCallContext> _slowCallStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a <see cref="QueryCoroutine"/> call sees its token cancelled.</summary>
    public Task<ServerCallContext> SlowCallCancelled => _slowCallCancelled.Task;

    public Task<ServerCallContext> SlowCallStarted => _slowCallStarted.Task;

    public ServerCallContext? LastContext { get; private set; }

    public override Task<PingResponse> RunRequestPing(PingRequest request, ServerCallContext context)
    {
        LastContext = context;
        return Task.FromResult(new PingResponse());
    }

    public override Task<ServiceResponse> RunCommandInit(InitCommand request, ServerCallContext context)
    {
        LastContext = context;
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"init {request.ChildOptions?.NodePath} task_id={request.TaskId} pass={context.RequestHeaders.GetValue(TaklerMetadataKeys.Password)} user={context.RequestHeaders.GetValue(TaklerMetadataKeys.User)}");
        return Task.FromResult(new ServiceResponse { Flag = 0, Message = message });
    }

    /// <summary>Fails with INVALID_ARGUMENT and the reason as detail, plus a trailer, when the reason starts with "fail".</summary>
    public override Task<ServiceResponse> RunCommandAbort(AbortCommand request, ServerCallContext context)
    {
        if (request.Reason.StartsWith("fail", StringComparison.Ordinal))
        {
            var trailers = new Metadata { { "takler-detail", "abort-refused" }, { "takler-detail-bin", new byte[] { 0, 1, 2, 255 } } };
            throw new RpcException(StatusCode.InvalidArgument, request.Reason, trailers);
        }

        return Task.FromResult(new ServiceResponse { Flag = 10, Message = "NodeNotFoundError: node is not found: " + request.ChildOptions?.NodePath });
    }

    /// <summary>Throws a plain exception: the client sees UNKNOWN.</summary>
    public override Task<ServiceResponse> RunCommandEvent(EventCommand request, ServerCallContext context) =>
        throw new InvalidOperationException("boom");

    public override Task<ShowResponse> RunRequestShow(ShowRequest request, ServerCallContext context) =>
        Task.FromResult(new ShowResponse
        {
            Output = $"{{\"name\": \"\", \"flows\": [], \"show_trigger\": {(request.ShowTrigger ? "true" : "false")}}}",
        });

    public override Task<ServiceResponse> RunCommandLoad(LoadCommand request, ServerCallContext context) =>
        Task.FromResult(new ServiceResponse { Message = string.Create(CultureInfo.InvariantCulture, $"loaded {request.Flow.Length} bytes") });

    /// <summary>Never answers: waits for the call's token, and reports that it was cancelled.</summary>
    public override async Task<CoroutineResponse> QueryCoroutine(CoroutineRequest request, ServerCallContext context)
    {
        _slowCallStarted.TrySetResult(context);
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            _slowCallCancelled.TrySetResult(context);
            throw;
        }

        return new CoroutineResponse();
    }

    /// <summary>Answers with the peer and deadline it saw.</summary>
    public override Task<StatusResponse> RequestStatus(StatusRequest request, ServerCallContext context)
    {
        LastContext = context;
        context.ResponseTrailers.Add("takler-served-by", "fake");
        return Task.FromResult(new StatusResponse
        {
            NodePath = request.NodePath,
            Message = context.Peer,
            Status = NodeStatus.Active,
        });
    }

    /// <summary>A large answer: the string of TaskId's length in bytes.</summary>
    public override Task<ServiceResponse> RunChildCommand(ChildCommandRequest request, ServerCallContext context) =>
        Task.FromResult(new ServiceResponse { Message = new string('x', request.Extension?.TryNo ?? 0) });
}
