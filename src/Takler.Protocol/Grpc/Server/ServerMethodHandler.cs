namespace Takler.Protocol.Grpc.Server;

/// <summary>One mapped method: reads its request, runs its handler and writes its response messages.</summary>
internal abstract class ServerMethodHandler
{
    protected ServerMethodHandler(string fullName, MethodType type)
    {
        FullName = fullName;
        Type = type;
    }

    public string FullName { get; }

    public MethodType Type { get; }

    /// <summary>Runs the call up to, but not including, its final status.</summary>
    public abstract Task InvokeAsync(GrpcServerCall call);
}
