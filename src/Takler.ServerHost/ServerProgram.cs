using System.Runtime.InteropServices;
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
    bool Audit)
{
    /// <summary>The users file (`--users`), or null for `users.json` in the home when it exists.</summary>
    public string? Users { get; init; }

    /// <summary>The name to register in the server registry (`--name`), or null.</summary>
    public string? Name { get; init; }
}

/// <summary>Runs the server until SIGINT or SIGTERM; start-up failures are one line on stderr and an exit code.</summary>
internal static class ServerProgram
{
    public static async Task<int> RunAsync(ServerProgramOptions o, CancellationToken cancellationToken)
    {
        // SQLite is loaded on another core while the server sets up (about 60 ms of a restart otherwise); opening
        // the store waits for it.
        if (o.Database is not null)
        {
            SqliteStateStore.StartWarmUp();
        }

        // Registered first, so a signal during start-up also stops the server cleanly.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));
        using var loggerFactory = TaklerConsoleLogging.CreateFactory(o.LogLevel);
        // Before anything large is read (a restore, --load): the heap's fresh memory in 2 MB pages where the system allows it.
        var hugePages = HugePages.AdviseGarbageCollectedHeap();
        if (hugePages > 0)
        {
            loggerFactory.CreateLogger("takler.server").LogDebug("huge pages asked for the heap ({Megabytes} MB of address space)", hugePages >> 20);
        }

        var home = Path.GetFullPath(o.Home);
        if (!Directory.Exists(home))
        {
            return await FailAsync($"home {home} does not exist", 2).ConfigureAwait(false);
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
                UsersFile = string.IsNullOrEmpty(o.Users) ? null : Path.GetFullPath(o.Users),
            },
            loggerFactory: loggerFactory);
        Registration? registration = null;
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

                await server.StartAsync(stop.Token).ConfigureAwait(false);
                if (o.Name is { } name)
                {
                    registration = await Registration.RegisterAsync(name, o.Host, server.Port, loggerFactory.CreateLogger("takler.server"), stop.Token).ConfigureAwait(false);
                }
            }
            catch (Takler.Server.Security.UsersFileException e)
            {
                return await FailAsync(e.Message, 2).ConfigureAwait(false);
            }
            catch (Takler.Client.TaklerClientException e)
            {
                return await FailAsync(e.Message, 2).ConfigureAwait(false);
            }
            catch (PortInUseException e)
            {
                return await FailAsync(e.Message, 3).ConfigureAwait(false);
            }
            catch (Takler.Core.TaklerException e)
            {
                return await FailAsync(e.Message, 2).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
            {
                return await FailAsync($"{e.GetType().Name}: {e.Message}", 3).ConfigureAwait(false);
            }
            catch (StorageException e)
            {
                await Console.Error.WriteLineAsync($"takler_server: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            try
            {
                await server.RunAsync(stop.Token).ConfigureAwait(false);
            }
            catch (StorageException e)
            {
                return await FailAsync(e.Message, 1).ConfigureAwait(false);
            }
            finally
            {
                registration?.Remove();
            }

            return 0;
        }
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }

    /// <summary>One line on stderr, no stack trace.</summary>
    private static async Task<int> FailAsync(string message, int exitCode)
    {
        var line = message.ReplaceLineEndings(" ");
        await Console.Error.WriteLineAsync($"takler_server: {line}").ConfigureAwait(false);
        return exitCode;
    }
}
