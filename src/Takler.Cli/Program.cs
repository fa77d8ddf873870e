namespace Takler.Cli;

/// <summary>
/// <c>takler_client</c>. Child commands (what job scripts run, many times per job) take a hand-written fast path
/// that parses, sends and prints without building the System.CommandLine tree; anything it does not recognise,
/// including <c>--help</c> and every mistake, goes through the full parser, which gives the same results.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (ChildCommandLine.TryParse(args, out var child))
        {
            return ChildCommandRunner.RunAsync(child, CancellationToken.None).GetAwaiter().GetResult();
        }

        return CliApp.Run(args);
    }
}
