using Takler.Client;

namespace Takler.Cli;

/// <summary>
/// Runs one client call and turns the outcome into Takler's output and exit code (takler-compat §4.4): commands that
/// get a ServiceResponse print <c>received: &lt;flag name&gt;</c>, also on failure; a failure is one line on stderr.
/// </summary>
internal static class CommandExecution
{
    /// <summary>A command answered by a ServiceResponse, sent to the selected server or servers (<see cref="OnServersAsync"/>).</summary>
    public static Task<int> RunCommandAsync(Func<ServerSelection> selection, Func<TaklerServiceClient, CancellationToken, Task> action, CancellationToken cancellationToken) =>
        OnServersAsync(selection, (client, t) => RunCommandOnAsync(client, action, t), cancellationToken);

    /// <summary>A query or a command that prints its own output, on the selected server or servers; returns the worst exit code.</summary>
    public static Task<int> RunAsync(Func<ServerSelection> selection, Func<TaklerServiceClient, CancellationToken, Task<int>> action, CancellationToken cancellationToken) =>
        OnServersAsync(selection, (client, t) => RunOnAsync(client, action, t), cancellationToken);

    /// <summary>
    /// A command answered by a ServiceResponse, sent to one server with its fail-over alternates (child commands).
    /// The addresses are resolved inside, so a bad connect file or host file is an error line too.
    /// </summary>
    public static async Task<int> RunCommandAsync(Func<IReadOnlyList<ServerAddress>> addresses, Func<TaklerServiceClient, CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        TaklerServiceClient client;
        try
        {
            client = TaklerServiceClient.ForServers(addresses());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Fail(e);
        }

        using (client)
        {
            return await RunCommandOnAsync(client, action, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="run"/> for one server, or for several at once through a <see cref="TaklerClientPool"/>:
    /// then each server's output is printed in the order the servers were named, under a `== server ==` line, its
    /// error lines prefixed with the server (with `--json`: one JSON document, <see cref="MultiServerJson"/>), and the
    /// exit code is the highest of theirs.
    /// </summary>
    private static async Task<int> OnServersAsync(Func<ServerSelection> select, Func<TaklerServiceClient, CancellationToken, Task<int>> run, CancellationToken cancellationToken)
    {
        ServerSelection selection;
        try
        {
            selection = select();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Fail(e);
        }

        var options = new TaklerClientOptions { Credentials = selection.Credentials };
        if (selection.FailOver || selection.Servers.Count == 1)
        {
            using var client = TaklerServiceClient.ForServers(selection.Servers, options);
            return await run(client, cancellationToken).ConfigureAwait(false);
        }

        var outputs = selection.Servers.Select(_ => (Output: new StringWriter(), Error: new StringWriter())).ToList();
        IReadOnlyList<PoolResult<int>> results;
        using (ConsoleRouting.Install())
        using (var pool = new TaklerClientPool(options))
        {
            results = await pool.WhenAll(selection.Servers, async (client, t) =>
            {
                // Servers are distinct (ServerSelection), so the client's address says whose output this is.
                var (output, error) = outputs[selection.Servers.IndexOf(client.Address)];
                ConsoleRouting.Capture(output, error);
                return await run(client, t).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }

        if (selection.Json)
        {
            return MultiServerJson.Write(selection, results, outputs);
        }

        var exit = 0;
        foreach (var result in results)
        {
            var label = selection.Labels[result.Index];
            var (output, error) = outputs[result.Index];
            Console.Out.Write($"== {label} ==\n{output}");
            foreach (var line in error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Console.Error.Write($"{label}: {line}\n");
            }

            exit = Math.Max(exit, result.Error is { } e ? Fail(e) : result.Value);
        }

        return exit;
    }

    private static async Task<int> RunCommandOnAsync(TaklerServiceClient client, Func<TaklerServiceClient, CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        try
        {
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

    private static async Task<int> RunOnAsync(TaklerServiceClient client, Func<TaklerServiceClient, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
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
        Console.Error.Write(FailureLine(e) + "\n");
        return ExitCodeOf(e);
    }

    /// <summary>The one line that says why a command failed.</summary>
    public static string FailureLine(Exception e) => OneLine(e is TaklerClientException ? e.Message : $"{e.GetType().Name}: {e.Message}");

    /// <summary>The exit code of a failure: the client exception's, else 3.</summary>
    public static int ExitCodeOf(Exception e) => e is TaklerClientException t ? t.ExitCode : 3;

    /// <summary>Newlines folded into spaces, as Takler prints messages.</summary>
    public static string OneLine(string text) => text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
}
