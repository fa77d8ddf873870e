using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Takler.Core.Nodes;
using Takler.Protocol;
using Task = System.Threading.Tasks.Task;
using Takler.Protocol.Grpc.Server;
using Takler.Server.Engine;
using Takler.Server.Jobs;
using Takler.Server.Storage;
using Takler.Server.Transport;
using Takler.Server.Zombies;

namespace Takler.Server.Hosting;

/// <summary>
/// The embeddable server, as in Takler's tutorial:
/// <code>
/// var server = new TaklerServer();
/// server.Bunch.AddFlow(flow);
/// await server.StartAsync();
/// await server.RunAsync();
/// </code>
/// With <see cref="TaklerServerOptions.Storage"/>, <see cref="StartAsync"/> first restores the state kept in the
/// database (flows there replace flows of the same name added before start; others are kept and stored), then
/// takes a snapshot, and every batch of commands is committed before its replies.
/// </summary>
public sealed partial class TaklerServer : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly SchedulerEngine _engine;
    private readonly ServerState _state;
    /// <summary>Completes once the state is restored: calls that arrive before wait for it.</summary>
    private readonly TaskCompletionSource _restored = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private GrpcServerHost? _host;
    private IStateStore? _store;
    private AuditLog? _audit;
    private Task? _loop;
    private NoCollectionWindow? _restoreWindow;
    private Task _seedCopied = Task.CompletedTask;
    private Task _restoreWindowClosed = Task.CompletedTask;
    private CancellationTokenSource? _loopStop;

    public TaklerServer(
        TaklerServerOptions? options = null,
        IJobRunner? jobRunner = null,
        TimeProvider? time = null,
        ILoggerFactory? loggerFactory = null)
    {
        Options = options ?? new TaklerServerOptions();
        _time = time ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("takler.server");
        Bunch = new Bunch(Options.Host, Options.Port, Options.Home);
        JobRunner = jobRunner ?? new LocalJobRunner(timeProvider: _time);
        _engine = new SchedulerEngine(Bunch, JobRunner, _time, new EngineOptions { Interval = Options.Interval }, _loggerFactory.CreateLogger("takler.server.scheduler"));
        var zombies = new ZombieList();
        _state = new ServerState(_time.GetUtcNow(), zombies, new ChildCommandGuard(zombies, _time, Options.AllowPasswordlessChild)) { Time = _time };
    }

    /// <summary>The server's settings.</summary>
    public TaklerServerOptions Options { get; }

    /// <summary>The server's flows. Add flows before <see cref="StartAsync"/>; afterwards change them only through commands.</summary>
    public Bunch Bunch { get; }

    /// <summary>The job runner.</summary>
    public IJobRunner JobRunner { get; }

    /// <summary>The engine.</summary>
    public SchedulerEngine Engine => _engine;

    /// <summary>The port listened on (the real one when <see cref="TaklerServerOptions.Port"/> is 0).</summary>
    public int Port => _host?.Port ?? Options.Port;

    /// <summary>The state store; null before start or without storage.</summary>
    public IStateStore? Store => _store;

    /// <summary>What the start restored from the state database; null when there was nothing (or no storage).</summary>
    public StateRestore? Restored { get; private set; }

    /// <summary>
    /// Starts listening and, meanwhile, restores the state (with storage); then starts the engine's loop. A state
    /// database or audit log that cannot be used is a <see cref="StorageException"/>.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        LogStart();
        var users = Options.ResolvedUsersFile is { } usersPath ? Security.UsersFile.Load(usersPath) : null;
        var authenticator = new Security.RequestAuthenticator(users, _time, () => _state.Audit);
        var grpcOptions = new GrpcServerOptions
        {
            MaxReceiveMessageSize = Options.MaxReceiveMessageSize,
            TimeProvider = _time,
            Logger = _loggerFactory.CreateLogger("takler.server.network_service"),
            Authorize = (context, request) => _restored.Task.IsCompletedSuccessfully
                ? authenticator.AuthorizeAsync(context, request)
                : AdmitWhenRestoredAsync(authenticator, context, request),
        };
        foreach (var definitionLoad in new[] { TaklerServerMethods.RunCommandLoad.FullName, TaklerServerMethods.RunCommandLoadDef.FullName, TaklerServerMethods.RunCommandReplace.FullName })
        {
            grpcOptions.MaxReceiveMessageSizeByMethod[definitionLoad] = Math.Max(Options.MaxDefinitionMessageSize, Options.MaxReceiveMessageSize);
        }

        var router = new GrpcRouter(grpcOptions);
        if (users is null)
        {
            LogNoUsers(System.IO.Path.Combine(System.IO.Path.GetFullPath(Options.Home), Security.UsersFile.DefaultFileName));
        }
        else
        {
            LogUsers(users.FilePath, users.Users.Count);
        }

        new TaklerGrpcService(_engine, _state, _loggerFactory.CreateLogger("takler.server.service")).BindService(router);
        var address = Options.LoopbackOnly ? IPAddress.Loopback : IPAddress.IPv6Any;

        // The state database is opened (or refused) and the audit log opened before the port: calls are authorized,
        // and refusals audited, from the moment it is open.
        var store = Options.ResolvedDatabasePath is { } path && _store is null ? SqliteStateStore.Open(path, Options.StorageSynchronous) : null;
        try
        {
            OpenAuditLog();
        }
        catch
        {
            store?.Dispose();
            throw;
        }

        // The port is opened on another core while the state is restored: clients that connect meanwhile wait for
        // the restored state instead of being refused.
        var listening = Task.Run(() => GrpcServerHost.StartAsync(router, new IPEndPoint(address, Options.Port), _loggerFactory, cancellationToken), CancellationToken.None);
        Listening = listening;
        try
        {
            RestoreStarting?.Invoke();
            if (store is not null)
            {
                RestoreFrom(store);
            }

            try
            {
                _host = await listening.ConfigureAwait(false);
            }
            catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new PortInUseException(Options.Port, e);
            }

            if (Bunch.Port != _host.Port)
            {
                Bunch.Port = _host.Port;
            }

            // The scheduling index is built on another core while the first calls are answered (queries from the
            // restored tree; commands wait for the loop, which starts once the index is built). On a thread of its
            // own, as the query copy's read: with both on pool threads, a two-core machine's pool would have none
            // left for the calls.
            var schedulingPrepared = Task.Factory.StartNew(_engine.PrepareScheduling, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            _restored.TrySetResult();
            try
            {
                await schedulingPrepared.ConfigureAwait(false);
            }
            finally
            {
                CloseRestoreWindowAfter(_seedCopied);
            }
        }
        catch
        {
            // Calls waiting for the restore fail, and the port is let go.
            _restored.TrySetException(new Core.TaklerException(Core.TaklerErrorCode.InternalError, "the server could not start"));
            _host ??= await ListeningOrNull(listening).ConfigureAwait(false);
            await StopListeningAndLoopAsync().ConfigureAwait(false);
            throw;
        }

        LogServiceStarted(Options.LoopbackOnly ? $"127.0.0.1:{_host.Port}" : $"[::]:{_host.Port}");
        LogStartDone();
        _loopStop = new CancellationTokenSource();
        _loop = _engine.RunAsync(_loopStop.Token);
    }

    /// <summary>The host <paramref name="listening"/> started, once it has; null when it failed to.</summary>
    private static async Task<GrpcServerHost?> ListeningOrNull(Task<GrpcServerHost> listening)
    {
        try
        {
            return await listening.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The start failed for another reason, which is the one reported.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>
    /// A call that arrives while the state is being restored is authorized (who may call does not depend on the
    /// state), then waits for it.
    /// </summary>
    private async ValueTask AdmitWhenRestoredAsync(Security.RequestAuthenticator authenticator, ServerCallContext context, Google.Protobuf.IMessage request)
    {
        await authenticator.AuthorizeAsync(context, request).ConfigureAwait(false);
        CallWaitsForRestore?.Invoke();
        await _restored.Task.WaitAsync(context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled (or the engine stops), then stops. When the engine
    /// stopped because a commit failed, this throws that <see cref="StorageException"/>.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (_loop is null)
        {
            throw new InvalidOperationException("StartAsync first");
        }

        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops listening and stops the engine.</summary>
    public async Task StopAsync()
    {
        try
        {
            await StopListeningAndLoopAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_engine.Journal is { } journal)
            {
                await journal.DrainAsync().ConfigureAwait(false); // also when the loop never ran (a start that failed)
            }

            _store?.Dispose();
            _store = null;
            if (_audit is { } audit)
            {
                _audit = null;
                _state.Audit = null;
                await audit.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task StopListeningAndLoopAsync()
    {
        if (_host is { } host)
        {
            _host = null;
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await host.StopAsync(grace.Token).ConfigureAwait(false);
            await host.DisposeAsync().ConfigureAwait(false);
        }

        if (_loopStop is { } stop)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            if (_loop is { } loop)
            {
                try
                {
                    await loop.ConfigureAwait(false);
                }
                catch (StorageException)
                {
                    // Logged by the engine and surfaced by RunAsync.
                }
            }

            stop.Dispose();
            _loopStop = null;
            LogStopped();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Opens the audit log (unless the server runs without one) and gives it to the service.</summary>
    private void OpenAuditLog()
    {
        if (Options.ResolvedAuditLogPath is { } auditPath && _audit is null)
        {
            _audit = AuditLog.Open(auditPath);
            _state.Audit = _audit;
        }
    }

    /// <summary>Lets collections run again once the query copy's read is done too (it may still be reading).</summary>
    private void CloseRestoreWindowAfter(Task seedCopied)
    {
        if (_restoreWindow is not { } window)
        {
            return;
        }

        _restoreWindow = null;
        _restoreWindowClosed = seedCopied.ContinueWith(_ => window.Close(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Whether the last start read its snapshot with collections held off (<see cref="NoCollectionWindow"/>).</summary>
    internal bool RestoredWithoutCollections { get; private set; }

    /// <summary>The start's opening of the port (for tests); null before <see cref="StartAsync"/>.</summary>
    internal Task? Listening { get; private set; }

    /// <summary>Called as the start begins to restore, while the port is being opened (for tests).</summary>
    internal Action? RestoreStarting { get; set; }

    /// <summary>Called when a call arrives before the state is restored and waits for it (for tests).</summary>
    internal Action? CallWaitsForRestore { get; set; }

    /// <summary>Completes once the start's <see cref="NoCollectionWindow"/>, if any, is closed.</summary>
    internal Task RestoreWindowClosed => _restoreWindowClosed;

    /// <summary>Restores from the state database <paramref name="store"/>, takes the start snapshot (or adopts the latest), and keeps the store.</summary>
    private void RestoreFrom(SqliteStateStore store)
    {
        try
        {
            var given = Bunch.Flows.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            var startedEmpty = given.Count == 0 && Bunch.ServerParameters.Count == 0;
            var restoreStarted = _time.GetTimestamp();
            byte[]? snapshotRead = null;
            Restored = store.Restore(Bunch, snapshot =>
            {
                _restoreWindow = NoCollectionWindow.Open(StoredSnapshot.JsonLength(snapshot));
                RestoredWithoutCollections = _restoreWindow is not null;
                snapshotRead = snapshot;
            });
            LogRestoreTime(_time.GetElapsedTime(restoreStarted).TotalMilliseconds);
            if (Restored is { } restored)
            {
                LogRestored(restored.Flows.Count, store.Location, restored.SnapshotTime, restored.Records);
                foreach (var name in restored.Flows.Where(given.Contains))
                {
                    LogDefinitionIgnored(name, store.Location);
                }
            }
            else
            {
                LogNewStore(store.Location);
            }

            var journal = new StateJournal(Bunch, store, _time, Options.Snapshots);
            var journalRecords = Restored?.TakeJournalRecords();
            if (startedEmpty && Restored is not null)
            {
                // The tree is exactly the store's latest snapshot and the journal after it: another snapshot would
                // store the same state again (and take the loop's time), and the query replica's copy is read from
                // the same bytes, on another core, while the server gets ready.
                journal.AdoptLatestSnapshot();
                if (snapshotRead is not null && journalRecords is not null)
                {
                    _seedCopied = _engine.Replica.Seed(snapshotRead, journalRecords);
                }
            }
            else
            {
                var snapshotStarted = _time.GetTimestamp();
                journal.Snapshot();
                LogStartSnapshotTime(_time.GetElapsedTime(snapshotStarted).TotalMilliseconds);
            }

            journal.Start();
            _engine.UseJournal(journal);
            _store = store;
        }
        catch (Exception e) when (e is not StorageException)
        {
            CloseRestoreWindowAfter(Task.CompletedTask);
            store.Dispose();
            throw new StorageException(store.Location, e.Message, e);
        }
        catch
        {
            CloseRestoreWindowAfter(Task.CompletedTask);
            store.Dispose();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "start server...")]
    private partial void LogStart();

    [LoggerMessage(Level = LogLevel.Information, Message = "service started: {Address}")]
    private partial void LogServiceStarted(string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "start server...done")]
    private partial void LogStartDone();

    [LoggerMessage(Level = LogLevel.Information, Message = "restored {Flows} flows from {Location}: snapshot of {SnapshotTime:o} and {Records} journal records after it")]
    private partial void LogRestored(int flows, string location, DateTimeOffset snapshotTime, long records);

    [LoggerMessage(Level = LogLevel.Debug, Message = "restore read the state database in {Milliseconds:F0} ms")]
    private partial void LogRestoreTime(double milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "start snapshot written in {Milliseconds:F0} ms")]
    private partial void LogStartSnapshotTime(double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "flow {Flow}: the state kept in {Location} replaces the definition given at start (replace it with load to change it)")]
    private partial void LogDefinitionIgnored(string flow, string location);

    [LoggerMessage(Level = LogLevel.Information, Message = "state database {Location} is new")]
    private partial void LogNewStore(string location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "no users file ({Path}): every command is accepted from this host (loopback) only; other hosts may only ping and send child commands")]
    private partial void LogNoUsers(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "users file {Path}: {Count} users; commands need a user's token or signed request")]
    private partial void LogUsers(string path, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "server stopped")]
    private partial void LogStopped();
}
