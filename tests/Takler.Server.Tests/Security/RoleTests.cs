using System.Text.Json;
using Takler.Client;
using Takler.Protocol.Grpc;
using Takler.Server.Hosting;

namespace Takler.Server.Tests.Security;

/// <summary>
/// A real server with a users file, called over the network by the client library: every role (and no or a wrong
/// token) against every command class; refusals and the authenticated user in the audit log.
/// </summary>
public sealed class RoleTests : IAsyncLifetime
{
    private const string Def = """
        suite f
          task t
        endsuite
        """;

    private readonly string _home = Directory.CreateTempSubdirectory("takler-roles-").FullName;
    private TaklerServer _server = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_home, "users.json"), """
            { "users": [
              { "name": "reader",   "role": "read",    "token": "reader-token-0123456789" },
              { "name": "operator", "role": "operate", "token": "operator-token-0123456789" },
              { "name": "admin",    "role": "admin",   "token": "admin-token-0123456789" },
              { "name": "signer",   "role": "operate", "key":   "signer-key-0123456789" } ] }
            """);
        _server = new TaklerServer(new TaklerServerOptions { Port = 0, LoopbackOnly = true, Home = _home, AuditLog = true }, new RecordingJobRunner());
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.StopAsync();
        Directory.Delete(_home, recursive: true);
    }

    private TaklerServiceClient Client(TaklerCredentials? credentials, TimeProvider? time = null) =>
        new("127.0.0.1", _server.Port, new TaklerClientOptions
        {
            Credentials = credentials,
            Environment = _ => null,
            Retry = new Takler.Client.Retry.RetryOptions { QueryWindow = TimeSpan.Zero, ControlWindow = TimeSpan.Zero, ChildWindow = TimeSpan.Zero },
            TimeProvider = time ?? TimeProvider.System,
        });

    /// <summary>"ok" when the server let the call through (even if the command then failed), else the refusal's status.</summary>
    private static async Task<string> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return "ok";
        }
        catch (TaklerClientException e) when (e.IsServerResponse)
        {
            return "ok";
        }
        catch (TaklerClientException e) when (e.IsAccessDenied)
        {
            Assert.Equal(TaklerClientException.AccessDeniedExitCode, e.ExitCode);
            return e.GrpcStatus == StatusCode.Unauthenticated ? "unauthenticated" : "denied";
        }
    }

    /// <summary>One command of each class, in the order public, child, read, operate, admin.</summary>
    private static async Task<string[]> Classes(TaklerServiceClient client) =>
    [
        await Outcome(() => client.PingAsync()),
        await Outcome(() => client.CompleteAsync("/f/t")),
        await Outcome(() => client.StatsAsync()),
        await Outcome(() => client.SuspendAsync(["/f"])),
        await Outcome(() => client.LoadDefinitionAsync(Def, replace: true)),
    ];

    [Theory]
    [InlineData(null, null, "ok ok unauthenticated unauthenticated unauthenticated")]
    [InlineData(null, "not-a-token-0123456789", "ok ok unauthenticated unauthenticated unauthenticated")]
    [InlineData("reader", "reader-token-0123456789", "ok ok ok denied denied")]
    [InlineData("operator", "operator-token-0123456789", "ok ok ok ok denied")]
    [InlineData("admin", "admin-token-0123456789", "ok ok ok ok ok")]
    [InlineData(null, "admin-token-0123456789", "ok ok ok ok ok")]
    public async Task Every_role_against_every_command_class(string? user, string? token, string expected)
    {
        using var client = Client(token is null ? null : new TaklerCredentials(user, token));
        Assert.Equal(expected, string.Join(' ', await Classes(client)));
    }

    [Fact]
    public async Task A_user_with_a_key_signs_every_request()
    {
        using var client = Client(new TaklerCredentials("signer", null, "signer-key-0123456789"));
        Assert.Equal("ok ok ok ok denied", string.Join(' ', await Classes(client)));
    }

    [Fact]
    public async Task A_signature_from_a_clock_ten_minutes_behind_is_refused()
    {
        using var client = Client(new TaklerCredentials("signer", null, "signer-key-0123456789"), new ShiftedClock(TimeSpan.FromMinutes(-10)));
        var e = await Assert.ThrowsAsync<TaklerClientException>(() => client.SuspendAsync(["/f"]));
        Assert.Equal(StatusCode.Unauthenticated, e.GrpcStatus);
        Assert.Contains("from the server's clock", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_say_what_is_missing_in_one_line()
    {
        using var anonymous = Client(null);
        var e = await Assert.ThrowsAsync<TaklerClientException>(() => anonymous.SuspendAsync(["/f"]));
        Assert.Equal($"PermissionDeniedError: suspend on server 127.0.0.1:{_server.Port} failed with gRPC status UNAUTHENTICATED: no credentials: send a token (--token or TAKLER_TOKEN)", e.Message);

        using var reader = Client(new TaklerCredentials(null, "reader-token-0123456789"));
        e = await Assert.ThrowsAsync<TaklerClientException>(() => reader.DeleteAsync(["/f"]));
        Assert.EndsWith("failed with gRPC status PERMISSION_DENIED: user reader has role read; RunCommandDelete needs admin", e.Message);
    }

    [Fact]
    public async Task The_audit_log_records_the_authenticated_user_and_the_refusals()
    {
        using (var admin = Client(new TaklerCredentials(null, "admin-token-0123456789")))
        {
            await admin.LoadDefinitionAsync(Def, replace: true);
        }

        using (var reader = Client(new TaklerCredentials("reader", "reader-token-0123456789")))
        {
            await Assert.ThrowsAsync<TaklerClientException>(() => reader.SuspendAsync(["/f"]));
        }

        await _server.StopAsync(); // flushes the audit log
        var entries = File.ReadAllLines(Path.Combine(_home, "audit.log")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var load = Assert.Single(entries, e => e.GetProperty("command").GetString() == "load-def");
        Assert.Equal("admin", load.GetProperty("user").GetString());
        var refused = Assert.Single(entries, e => e.GetProperty("command").GetString() == "RunCommandSuspend");
        Assert.Equal("reader", refused.GetProperty("user").GetString());
        Assert.Equal(43, refused.GetProperty("flag").GetInt32());
    }

    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }
}
