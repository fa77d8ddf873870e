using Takler.Client;

namespace Takler.Cli;

/// <summary>
/// Runs one client call and turns the outcome into Takler's output and exit code (takler-compat §4.4): commands that
/// get a ServiceResponse print <c>received: &lt;flag name&gt;</c>, also on failure; a failure is one line on stderr.
/// </summary>
internal static class CommandExecution
{
    /// <summary>A command answered by a ServiceResponse. The address is resolved inside, so a bad connect file is an error line too.</summary>
    public static async Task<int> RunCommandAsync(Func<IReadOnlyList<ServerAddress>> address, Func<TaklerServiceClient, CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        try
        {
            using var client = TaklerServiceClient.ForServers(address());
            await action(client, cancellationToken).ConfigureAwait(false);
            Console.Out.Write("received: success\n");
            return 0;
        }
        catch (TaklerClientException e)
        {
            if (e.IsServerResponse)
            {
                Console.Out.Write($"received: {e.FlagName}\n");
            }

            return Fail(e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Fail(e);
        }
    }

    /// <summary>A query or a command whose output the action prints itself; returns the action's exit code.</summary>
    public static async Task<int> RunAsync(Func<IReadOnlyList<ServerAddress>> address, Func<TaklerServiceClient, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            using var client = TaklerServiceClient.ForServers(address());
            return await action(client, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Fail(e);
        }
    }

    /// <summary>Prints the one error line and returns the exit code: the flag's for a Takler error, 3 for anything else.</summary>
    public static int Fail(Exception e)
    {
        var line = e is TaklerClientException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        Console.Error.Write(OneLine(line) + "\n");
        return e is TaklerClientException t ? t.ExitCode : 3;
    }

    /// <summary>Newlines folded into spaces, as Takler prints messages.</summary>
    public static string OneLine(string text) => text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
}
