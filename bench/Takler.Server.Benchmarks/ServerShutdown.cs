using System.Diagnostics;

namespace Takler.Server.Benchmarks;

/// <summary>Stopping a benchmarked server process: ask it to stop, wait up to 10 s, then kill it.</summary>
internal static class ServerShutdown
{
    public static async Task StopAsync(Process server, Func<Task> askToStop)
    {
        if (server.HasExited)
        {
            return;
        }

        await askToStop().ConfigureAwait(false);
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await server.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            server.Kill();
        }
    }
}
