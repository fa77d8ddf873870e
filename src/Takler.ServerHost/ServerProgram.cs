using Microsoft.Extensions.Logging;
using Takler.Server.Hosting;
using Takler.Server.Storage;

namespace Takler.ServerHost;

/// <summary>The options of `takler_server`, parsed.</summary>
internal sealed record ServerProgramOptions(
    int Port,
    string Host,
    string Home,
    IReadOnlyList<string> Load,
    bool Begin,
    int IntervalSeconds,
    LogLevel LogLevel,
    bool AllowPasswordlessChild,
    bool LoopbackOnly,
    string? Database,
    StorageSynchronous Synchronous,
    bool Audit);

/// <summary>Runs the server until SIGINT or SIGTERM; start-up failures are one line on stderr and an exit code.</summary>
internal static class ServerProgram
{
    public static async Task<int> RunAsync(ServerProgramOptions o, CancellationToken cancellationToken)
    {
        using var loggerFactory = LoggerFactory.Create(b => b
            .SetMinimumLevel(o.LogLevel)
            .AddConsole(c => c.FormatterName = TaklerConsoleFormatter.FormatterName)
            .AddConsoleFormatter<TaklerConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>());
        var home = Path.GetFullPath(o.Home);
        if (!Directory.Exists(home))
        {
            await Console.Error.WriteLineAsync($"takler_server: home {home} does not exist").ConfigureAwait(false);
            return 2;
        }

        var server = new TaklerServer(
            new TaklerServerOptions
            {
                Host = o.Host,
                Port = o.Port,
                Home = home,
                Interval = TimeSpan.FromSeconds(Math.Max(1, o.IntervalSeconds)),
                AllowPasswordlessChild = o.AllowPasswordlessChild,
                LoopbackOnly = o.LoopbackOnly,
                Storage = o.Database is not null,
                DatabasePath = string.IsNullOrEmpty(o.Database) ? null : Path.GetFullPath(o.Database),
                StorageSynchronous = o.Synchronous,
                AuditLog = o.Audit,
            },
            loggerFactory: loggerFactory);
        await using (server.ConfigureAwait(false))
        {
            try
            {
                foreach (var file in o.Load)
                {
                    DefinitionFiles.LoadInto(server.Bunch, file);
                }

                if (o.Begin)
                {
                    new Takler.Core.Operations(server.Bunch, TimeProvider.System).Begin(null);
                }

                await server.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PortInUseException e)
            {
                await Console.Error.WriteLineAsync($"takler_server: {e.Message}").ConfigureAwait(false);
                return 3;
            }
            catch (Takler.Core.TaklerException e)
            {
                await Console.Error.WriteLineAsync($"takler_server: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            catch (StorageException e)
            {
                await Console.Error.WriteLineAsync($"takler_server: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                System.Runtime.InteropServices.PosixSignal.SIGTERM,
                context =>
                {
                    context.Cancel = true;
                    stop.Cancel();
                });
            try
            {
                await server.RunAsync(stop.Token).ConfigureAwait(false);
            }
            catch (StorageException e)
            {
                await Console.Error.WriteLineAsync($"takler_server: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            return 0;
        }
    }
}
