using System.Globalization;
using System.Text.Json;

namespace Takler.Client;

/// <summary>
/// Finding servers by name: a JSON file (default `~/.takler/servers.json`, or <c>TAKLER_REGISTRY</c>) shared by the
/// servers of one user. A server started with a name registers itself and removes its entry on a clean stop; clients
/// look names up here. Every change holds a lock file (`servers.json.lock`) and replaces the file atomically (write a
/// temporary file, then rename), so servers starting together never lose each other's entries. Entries of servers that
/// died without stopping are pruned by ping (<see cref="PruneAsync"/>).
/// </summary>
public sealed class ServerRegistry
{
    /// <summary>The environment variable naming the registry file.</summary>
    public const string Variable = "TAKLER_REGISTRY";

    /// <summary>How long a change waits for the lock held by another process. The default value is 10 seconds.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A registry at <paramref name="path"/>.</summary>
    public ServerRegistry(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FilePath = Path.GetFullPath(path);
    }

    /// <summary>The registry file.</summary>
    public string FilePath { get; }

    /// <summary>
    /// The registry of this user: <c>TAKLER_REGISTRY</c> when set, else `.takler/servers.json` in <c>HOME</c> (else
    /// the user profile). <paramref name="environment"/> defaults to the process environment.
    /// </summary>
    public static ServerRegistry ForCurrentUser(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment(Variable) is { Length: > 0 } path)
        {
            return new ServerRegistry(path);
        }

        var home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new ServerRegistry(Path.Combine(home, ".takler", "servers.json"));
    }

    /// <summary>Every registered server, in registration order; empty when the file does not exist.</summary>
    public IReadOnlyList<RegisteredServer> Read()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(FilePath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }

        return Parse(bytes);
    }

    /// <summary>The servers whose names start with <paramref name="prefix"/> (all when null or empty).</summary>
    public IReadOnlyList<RegisteredServer> List(string? prefix = null) =>
        [.. Read().Where(s => string.IsNullOrEmpty(prefix) || s.Name.StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>The server registered under <paramref name="name"/>, or null.</summary>
    public RegisteredServer? Find(string name) => Read().FirstOrDefault(s => s.Name == name);

    /// <summary>Adds a server, replacing an entry of the same name.</summary>
    public void Register(RegisteredServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        Change(list =>
        {
            list.RemoveAll(s => s.Name == server.Name);
            list.Add(server);
        });
    }

    /// <summary>
    /// Adds <paramref name="server"/> unless its name is held by a server at another address, in one change of the
    /// file (under its lock), so two servers starting at once with the same name cannot both register. Returns the
    /// holder when the name is taken (nothing written), else null.
    /// </summary>
    public RegisteredServer? RegisterUnlessTaken(RegisteredServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        RegisteredServer? holder = null;
        Change(list =>
        {
            holder = list.Find(s => s.Name == server.Name && (s.Host, s.Port) != (server.Host, server.Port));
            if (holder is null)
            {
                list.RemoveAll(s => s.Name == server.Name);
                list.Add(server);
            }
        });
        return holder;
    }

    /// <summary>Removes the entry of <paramref name="name"/> if it is still the one of process <paramref name="pid"/>; true when it was removed.</summary>
    public bool Unregister(string name, int pid)
    {
        var removed = false;
        Change(list => removed = list.RemoveAll(s => s.Name == name && s.Pid == pid) > 0);
        return removed;
    }

    /// <summary>Pings every server of <paramref name="servers"/> at once; true for those that answered within <paramref name="timeout"/>.</summary>
    public static async Task<IReadOnlyList<(RegisteredServer Server, bool Answers)>> PingAllAsync(
        IReadOnlyList<RegisteredServer> servers,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var answers = await Task.WhenAll(servers.Select(s => AnswersAsync(s, timeout, cancellationToken))).ConfigureAwait(false);
        return [.. servers.Zip(answers)];
    }

    /// <summary>
    /// Pings every registered server and removes those that do not answer within <paramref name="timeout"/>; returns
    /// the removed entries. An entry that changed while the pings ran (the name registered again) is kept.
    /// </summary>
    public async Task<IReadOnlyList<RegisteredServer>> PruneAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var checkedServers = await PingAllAsync(Read(), timeout, cancellationToken).ConfigureAwait(false);
        var dead = checkedServers.Where(c => !c.Answers).Select(c => c.Server).ToHashSet();
        if (dead.Count == 0)
        {
            return [];
        }

        var removed = new List<RegisteredServer>();
        Change(list =>
        {
            removed.AddRange(list.Where(dead.Contains));
            list.RemoveAll(dead.Contains);
        });
        return removed;
    }

    private static async Task<bool> AnswersAsync(RegisteredServer server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var options = new TaklerClientOptions
        {
            Retry = new Retry.RetryOptions { AttemptTimeout = timeout, QueryWindow = TimeSpan.Zero },
            Environment = _ => null,
            Log = _ => { },
        };
        using var client = new TaklerServiceClient(server.Address, options);
        try
        {
            await client.PingAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TaklerClientException)
        {
            return false;
        }
    }

    /// <summary>Read, change and replace the file, holding the lock file.</summary>
    private void Change(Action<List<RegisteredServer>> change)
    {
        var directory = Path.GetDirectoryName(FilePath)!;
        Directory.CreateDirectory(directory);
        using var lockFile = AcquireLock();
        var list = Read().ToList();
        change(list);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(FilePath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temporary, Write(list));
            File.Move(temporary, FilePath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private FileStream AcquireLock()
    {
        // FileShare.None is an exclusive lock between processes (flock on Unix). The lock file stays: deleting it
        // would let two processes hold "the" lock on two different files.
        var path = FilePath + ".lock";
        var started = Environment.TickCount64;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (Environment.TickCount64 - started < LockTimeout.TotalMilliseconds)
            {
                Thread.Sleep(10); // another process holds the lock for a few milliseconds
            }
            catch (IOException e)
            {
                throw TaklerClientException.Local("RegistryError", $"registry {FilePath}: the lock {path} is held by another process for more than {LockTimeout.TotalSeconds:0} s", innerException: e);
            }
        }
    }

    private List<RegisteredServer> Parse(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var list = new List<RegisteredServer>();
            if (!document.RootElement.TryGetProperty("servers", out var servers) || servers.ValueKind != JsonValueKind.Array)
            {
                throw new JsonException("no \"servers\" list");
            }

            foreach (var s in servers.EnumerateArray())
            {
                list.Add(new RegisteredServer(
                    s.GetProperty("name").GetString()!,
                    s.GetProperty("host").GetString()!,
                    s.GetProperty("port").GetInt32(),
                    DateTimeOffset.Parse(s.GetProperty("start_time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    s.GetProperty("pid").GetInt32()));
            }

            return list;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw TaklerClientException.Local("RegistryError", $"registry {FilePath} is not a valid server list: {e.Message} (delete it; running servers register again when restarted)", innerException: e);
        }
    }

    private static byte[] Write(List<RegisteredServer> servers)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("servers");
            foreach (var s in servers)
            {
                writer.WriteStartObject();
                writer.WriteString("name", s.Name);
                writer.WriteString("host", s.Host);
                writer.WriteNumber("port", s.Port);
                writer.WriteString("start_time", s.StartTime.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
                writer.WriteNumber("pid", s.Pid);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }
}
