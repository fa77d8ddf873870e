using Takler.Client;

namespace Takler.Cli;

/// <summary>Sends a child command and prints as Takler does: <c>received: &lt;flag&gt;</c>, errors on one stderr line.</summary>
internal static class ChildCommandRunner
{
    /// <summary>The task's path, set in a job's environment.</summary>
    public const string NameVariable = "TAKLER_NAME";

    /// <summary>When set, child commands do nothing (a job script run by hand).</summary>
    public const string NoTaklerVariable = "NO_TAKLER";

    public static Task<int> RunAsync(ChildInvocation child, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(NoTaklerVariable) is not null)
        {
            Console.Out.Write("ignore because NO_TAKLER is set.\n");
            return Task.FromResult(0);
        }

        var nodePath = child.NodePath ?? Environment.GetEnvironmentVariable(NameVariable) ?? string.Empty;
        return CommandExecution.RunCommandAsync(() => ServerAddress.ResolveAll(child.Host, child.Port), (client, ct) => child.Command switch
        {
            "init" => client.InitAsync(nodePath, child.Name, ct),
            "complete" => client.CompleteAsync(nodePath, ct),
            "abort" => client.AbortAsync(nodePath, child.Name, ct),
            "event" => client.EventAsync(nodePath, child.Name!, ct),
            "meter" => client.MeterAsync(nodePath, child.Name!, child.Value!, ct),
            _ => client.LabelAsync(nodePath, child.Name!, child.Value!, ct),
        }, cancellationToken);
    }
}
