using System.Globalization;
using System.Text.RegularExpressions;
using Takler.Cli.Tests.TestSupport;

namespace Takler.Cli.Tests;

/// <summary>takler_client as a process against a real server: Takler's session transcript, outputs, errors, exit codes.</summary>
public sealed partial class CliCommandTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<CliResult> Run(params string[] args) => CliProcess.RunAsync([.. args, .. _server.Address]);

    private Task<CliResult> RunEnv(IReadOnlyDictionary<string, string> env, params string[] args) => CliProcess.RunAsync([.. args, .. _server.Address], env);

    private static void AssertOk(CliResult result, string stdout)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(stdout, result.Stdout);
        Assert.Equal(string.Empty, result.Stderr);
    }

    private static void AssertFails(CliResult result, int exit, string? stdout, string stderr)
    {
        Assert.True(result.ExitCode == exit, result.ToString());
        if (stdout is not null)
        {
            Assert.Equal(stdout, result.Stdout);
        }

        Assert.Equal(stderr, result.Stderr);
    }

    [Fact]
    public async Task Ping_prints_the_round_trip_as_a_python_timedelta()
    {
        var result = await Run("ping");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches($@"^ping server \(127\.0\.0\.1:{_server.Port}\) succeeded in 0:00:\d\d(\.\d{{6}})?\.\n$", result.Stdout);
    }

    [Fact]
    public async Task Session_of_Takler_transcript()
    {
        AssertOk(await Run("load", SharedFiles.Compat("server_session.load.json")), "received: success\n");
        AssertOk(await Run("show"), SharedFiles.TranscriptStdout("show --host 127.0.0.1 --port 33183", 0));
        AssertOk(await Run("suspend", "/demo/t2", "/demo/c1"), "received: success\n");
        AssertOk(await Run("begin", "demo"), "received: success\n");

        AssertOk(await Run("run", "/demo/t1"), "received: success\n");
        var job = await _server.Jobs.NextSubmissionAsync();
        var env = new Dictionary<string, string>
        {
            ["TAKLER_NAME"] = "/demo/t1",
            ["TAKLER_PASS"] = job.Password,
            ["TAKLER_TRY_NO"] = job.TryNo.ToString(CultureInfo.InvariantCulture),
            ["TAKLER_RID"] = "job-42",
        };

        // Takler's option forms and the short forms job scripts use.
        AssertOk(await RunEnv(env, "init"), "received: success\n");
        AssertOk(await RunEnv(env, "event", "--event-name", "e1"), "received: success\n");
        AssertOk(await RunEnv(env, "meter", "m1", "5"), "received: success\n");
        AssertOk(await Run("meter", "--node-path", "/demo/t1", "--meter-name", "m1", "--meter-value", "5"), "received: success\n");
        var show = await Run("show");
        Assert.Contains("  |- t1 [active]\n      event e1 [set]\n      meter m1 0 10 [5]\n", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("  |- t2 [suspend (queued)]\n", show.Stdout, StringComparison.Ordinal);

        var status = await Run("status", "/demo/t1");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("status: active\n", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("rid: job-42\n", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("meter m1: 5 of 10\n", status.Stdout, StringComparison.Ordinal);

        AssertOk(await RunEnv(env, "complete"), "received: success\n");
        AssertOk(await Run("force", "--no-recursive", "aborted", "/demo/c1/t3"), "received: success\n");
        AssertOk(await Run("force", "clear", "/demo/t1:e1"), "received: success\n");
        AssertOk(await Run("free-dep", "--dep-type", "trigger", "/demo/c1/t3"), "received: success\n");
        AssertOk(await Run("resume", "/demo/c1"), "received: success\n");
        AssertOk(await Run("requeue", "/demo/c1/t3"), "received: success\n");
        Assert.Contains("|- t3 [queued]\n", (await Run("show", "/demo/c1")).Stdout, StringComparison.Ordinal);

        var all = await Run("show", "--show-all");
        Assert.Contains("  |- t2 [suspend (queued)]\n      trigger ./t1 == complete\n", all.Stdout, StringComparison.Ordinal);
        Assert.Contains("    param TAKLER_HOME '/data/takler/session'\n", all.Stdout, StringComparison.Ordinal);
        var quiet = await Run("show", "--no-show-event", "--no-show-meter", "/demo/t1");
        Assert.Equal("|- t1 [complete]\n", quiet.Stdout);
        var why = await Run("why", "/demo/t1");
        Assert.Equal(0, why.ExitCode);

        // The error cases of the transcript, with Takler's lines and exit codes.
        AssertFails(await Run("complete", "--node-path", "/demo/nope"), 1, "received: node_not_found\n", "node_not_found: NodeNotFoundError: node is not found: /demo/nope\n");
        AssertFails(await Run("init", "--node-path", "/demo/c1", "--task-id", "x"), 1, "received: node_type\n", "node_type: NodeTypeError: node must be Task: /demo/c1\n");
        AssertFails(await Run("begin", "demo"), 1, "received: flow_state\n", "flow_state: FlowStateError: flow is already begun: demo\n");
        AssertFails(await Run("begin", "nope"), 1, "received: node_not_found\n", "node_not_found: NodeNotFoundError: flow is not found: nope\n");
        AssertFails(await Run("force", "bogus", "/demo/t1"), 3, string.Empty, "ValueError: Enum ForceState has no value defined for name 'bogus'\n");
        AssertFails(await Run("free-dep", "/demo/t1"), 3, string.Empty, "ValueError: Enum DepType has no value defined for name 'True'\n");
        AssertFails(await Run("requeue", "demo"), 1, "received: invalid_node_path\n", "invalid_node_path: InvalidNodePathError: absolute node path is illegal: demo\n");

        var bad = Path.Combine(Directory.CreateTempSubdirectory("takler-cli").FullName, "bad.json");
        await File.WriteAllTextAsync(bad, "{bad");
        var load = await Run("load", bad);
        Assert.Equal(1, load.ExitCode);
        Assert.Equal("received: invalid_request\n", load.Stdout);
        Assert.StartsWith("invalid_request: InvalidRequestError: flow definition is not valid json: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)", load.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extension_commands_label_kill_delete_zombies_and_def_load()
    {
        var def = Path.Combine(Directory.CreateTempSubdirectory("takler-cli").FullName, "x.def");
        await File.WriteAllTextAsync(def, "suite x\n  task a\n    label l \"\"\n  task b\nendsuite\n");
        AssertOk(await Run("load", def), "received: success\n");
        AssertFails(await Run("load", def), 1, "received: unsupported_value\n", "unsupported_value: UnsupportedValueError: flow x already exists (load with replace)\n");
        AssertOk(await Run("load", "--replace", def), "received: success\n");
        AssertOk(await Run("begin"), "received: success\n");
        AssertOk(await Run("run", "/x/a"), "received: success\n");
        var job = await _server.Jobs.NextSubmissionAsync();
        var env = new Dictionary<string, string> { ["TAKLER_NAME"] = "/x/a", ["TAKLER_PASS"] = job.Password };
        AssertOk(await RunEnv(env, "label", "l", "half", "way"), "received: success\n");
        AssertOk(await Run("kill", "/x/a"), "received: success\n");

        var zombie = await RunEnv(new Dictionary<string, string> { ["TAKLER_NAME"] = "/x/a", ["TAKLER_PASS"] = "wrong" }, "abort", "it broke");
        Assert.Equal(3, zombie.ExitCode);
        Assert.Equal("received: zombie\n", zombie.Stdout);
        var zombies = await Run("zombies");
        Assert.Equal(0, zombies.ExitCode);
        Assert.Matches(@"^PATH\s+COMMAND\s+REASON\n/x/a\s+abort\s+\S.*\n$", zombies.Stdout);

        AssertOk(await Run("delete", "--force", "/x/b"), "received: success\n");
        Assert.DoesNotContain("|- b ", (await Run("show")).Stdout, StringComparison.Ordinal);
        Assert.Contains("\"flows\"", (await Run("show", "--json")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_commands_print_json_for_programs()
    {
        var def = Path.Combine(Directory.CreateTempSubdirectory("takler-cli").FullName, "j.def");
        await File.WriteAllTextAsync(def, "suite j\n  task a\n    meter m 0 10\n  task b\n    trigger a == complete\nendsuite\n");
        AssertOk(await Run("load", def), "received: success\n");

        using (var ping = await Json("ping", "--json"))
        {
            var root = ping.RootElement;
            Assert.Equal($"127.0.0.1:{_server.Port}", root.GetProperty("server").GetString());
            Assert.Equal("127.0.0.1", root.GetProperty("host").GetString());
            Assert.Equal(_server.Port, root.GetProperty("port").GetInt32());
            Assert.True(root.GetProperty("elapsedSeconds").GetDouble() >= 0);
        }

        using (var coroutines = await Json("coroutine", "--json"))
        {
            var list = coroutines.RootElement.GetProperty("coroutines");
            Assert.True(list.GetArrayLength() > 0);
            Assert.All(list.EnumerateArray(), c => Assert.False(string.IsNullOrEmpty(c.GetProperty("name").GetString())));
            Assert.All(list.EnumerateArray(), c => Assert.Equal(System.Text.Json.JsonValueKind.String, c.GetProperty("description").ValueKind));
        }

        using (var status = await Json("status", "--json", "/j/a"))
        {
            var root = status.RootElement;
            Assert.Equal("/j/a", root.GetProperty("nodePath").GetString());
            Assert.Equal(System.Text.Json.JsonValueKind.String, root.GetProperty("status").ValueKind);
            Assert.Equal(0, root.GetProperty("tryNo").GetInt32());
            Assert.Equal("m", root.GetProperty("meters")[0].GetProperty("name").GetString());
        }

        using (var why = await Json("why", "--json", "/j/b"))
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Array, why.RootElement.ValueKind);
            Assert.True(why.RootElement.GetArrayLength() > 0);
        }

        using (var zombies = await Json("zombies", "--json"))
        {
            Assert.Equal(0, zombies.RootElement.GetProperty("zombies").GetArrayLength());
        }

        using (var stats = await Json("stats", "--json"))
        {
            Assert.False(string.IsNullOrEmpty(stats.RootElement.GetProperty("version").GetString()));
            Assert.Equal(System.Text.Json.JsonValueKind.Array, stats.RootElement.GetProperty("statusCounts").ValueKind);
        }

        using (var show = await Json("show", "--json"))
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Array, show.RootElement.GetProperty("flows").ValueKind);
        }
    }

    /// <summary>Runs a command that must succeed with one JSON document and a newline on stdout, and parses it.</summary>
    private async Task<System.Text.Json.JsonDocument> Json(params string[] args)
    {
        var result = await Run(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.Stderr);
        Assert.EndsWith("\n", result.Stdout, StringComparison.Ordinal);
        return System.Text.Json.JsonDocument.Parse(result.Stdout);
    }

    [Fact]
    public async Task Export_writes_the_state_as_def_or_json_and_checkpoint_needs_storage()
    {
        var dir = Directory.CreateTempSubdirectory("takler-cli").FullName;
        var def = Path.Combine(dir, "e.def");
        await File.WriteAllTextAsync(def, "suite e\n  task a\n    event done\nendsuite\n");
        AssertOk(await Run("load", def), "received: success\n");
        AssertOk(await Run("begin", "e"), "received: success\n");

        var exported = await Run("export");
        Assert.Equal(0, exported.ExitCode);
        Assert.Contains("suite e", exported.Stdout, StringComparison.Ordinal);
        Assert.Contains("event done", exported.Stdout, StringComparison.Ordinal);

        var file = Path.Combine(dir, "state.json");
        Assert.Equal(0, (await Run("export", "--json", file)).ExitCode);
        Assert.Contains("takler-dotnet-snapshot", await File.ReadAllTextAsync(file), StringComparison.Ordinal);

        var checkpoint = await Run("checkpoint");
        Assert.Equal(1, checkpoint.ExitCode);
        Assert.Contains("without storage", checkpoint.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Child_commands_do_nothing_with_NO_TAKLER()
    {
        var env = new Dictionary<string, string> { ["NO_TAKLER"] = "1", ["TAKLER_PORT"] = "1" };
        foreach (var args in new[] { ["init"], ["complete"], ["abort", "why"], ["event", "e"], ["meter", "m", "1"], ["label", "l", "x"], new[] { "event", "--node-path", "/f/t", "--event-name", "e" } })
        {
            var result = await CliProcess.RunAsync(args, env);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("ignore because NO_TAKLER is set.\n", result.Stdout);
        }
    }

    [Fact]
    public async Task Usage_errors_exit_2_with_click_style_message()
    {
        var env = new Dictionary<string, string> { ["TAKLER_NAME"] = "/f/t" };
        var result = await CliProcess.RunAsync(["event"], env);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("Error: Missing option '--event-name'.\n", result.Stderr, StringComparison.Ordinal);

        result = await CliProcess.RunAsync(["complete"]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("Error: Missing option '--node-path'.\n", result.Stderr, StringComparison.Ordinal);

        result = await CliProcess.RunAsync(["requeue"]);
        Assert.Equal(2, result.ExitCode);

        result = await CliProcess.RunAsync(["no-such-command"]);
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task Help_lists_the_commands_and_each_command_has_help()
    {
        var result = await CliProcess.RunAsync(["--help"]);
        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "abort", "complete", "completion", "event", "help", "init", "meter", "ping", "requeue", "resume", "run", "show", "suspend", "begin", "force", "free-dep", "load", "label", "kill", "status", "why", "alter", "delete", "zombies", "check" })
        {
            Assert.Matches($@"(?m)^  {Regex.Escape(command)}\b", result.Stdout);
        }

        result = await CliProcess.RunAsync(["meter", "--help"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--meter-value", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--host", result.Stdout, StringComparison.Ordinal);

        result = await CliProcess.RunAsync(["help", "show"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--show-trigger", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Address_comes_from_options_over_environment_over_default()
    {
        var port = _server.Port.ToString(CultureInfo.InvariantCulture);
        var result = await CliProcess.RunAsync(["ping"], new Dictionary<string, string> { ["TAKLER_HOST"] = "127.0.0.1", ["TAKLER_PORT"] = port });
        Assert.StartsWith($"ping server (127.0.0.1:{port}) succeeded", result.Stdout, StringComparison.Ordinal);

        result = await CliProcess.RunAsync(["ping", "--port", port, "--host", "127.0.0.1"], new Dictionary<string, string> { ["TAKLER_HOST"] = "nowhere.invalid", ["TAKLER_PORT"] = "1" });
        Assert.StartsWith($"ping server (127.0.0.1:{port}) succeeded", result.Stdout, StringComparison.Ordinal);

        result = await CliProcess.RunAsync(["ping", "--host", "127.0.0.1"], new Dictionary<string, string> { ["TAKLER_PORT"] = port });
        Assert.StartsWith($"ping server (127.0.0.1:{port}) succeeded", result.Stdout, StringComparison.Ordinal);

        var connect = Path.Combine(Directory.CreateTempSubdirectory("takler-cli").FullName, "connect.yaml");
        await File.WriteAllTextAsync(connect, $"server:\n  address:\n    hostname: 127.0.0.1\n    ip: 127.0.0.1\n    port: '{port}'\n");
        result = await CliProcess.RunAsync(["ping"], new Dictionary<string, string> { ["TAKLER_CONNECT_FILE"] = connect, ["TAKLER_PORT"] = "1" });
        Assert.StartsWith($"ping server (127.0.0.1:{port}) succeeded", result.Stdout, StringComparison.Ordinal);

        result = await CliProcess.RunAsync(["ping"], new Dictionary<string, string> { ["TAKLER_CONNECT_FILE"] = string.Empty });
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("FileNotFoundError: [Errno 2] No such file or directory: ''\n", result.Stderr);

        result = await CliProcess.RunAsync(["ping"], new Dictionary<string, string> { ["TAKLER_TIMEOUT"] = "0", ["TAKLER_PORT"] = "1" });
        Assert.Equal(4, result.ExitCode);
        Assert.Equal("ClientConnectionError: server localhost:1 is unreachable after 1 attempts, last gRPC status UNAVAILABLE\n", result.Stderr);
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d WARNING client retry requeue to localhost:\d+: elapsed=\d+\.\ds, status=UNAVAILABLE$")]
    private static partial Regex RetryLine();

    [Fact]
    public async Task User_command_gives_up_after_its_window_with_exit_4_and_one_line()
    {
        var port = TestServer.FreePort().ToString(CultureInfo.InvariantCulture);
        // The window must outlast the first call's start-up (JIT of the HTTP/2 stack: seconds on a loaded 2-core machine).
        var result = await CliProcess.RunAsync(["requeue", "/f/t", "--port", port], new Dictionary<string, string> { ["TAKLER_TIMEOUT"] = "6" });

        Assert.Equal(4, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        var lines = result.Stderr.TrimEnd('\n').Split('\n');
        Assert.Matches($@"^ClientConnectionError: server localhost:{port} is unreachable after \d attempts, last gRPC status UNAVAILABLE$", lines[^1]);
        Assert.All(lines[..^1], line => Assert.Matches(RetryLine(), line)); // none when a loaded machine spends the window on the first attempt
    }

    [Fact]
    public async Task Child_command_waits_for_the_server_and_succeeds()
    {
        var port = TestServer.FreePort();
        using var process = CliProcess.Start(
            ["complete", "--port", port.ToString(CultureInfo.InvariantCulture), "--host", "127.0.0.1"],
            new Dictionary<string, string> { ["TAKLER_TIMEOUT"] = "120", ["TAKLER_NAME"] = "/w/t", ["TAKLER_PASS"] = "pw1" });

        await process.StderrContainsAsync("WARNING client retry complete").WaitAsync(TimeSpan.FromSeconds(30));
        await using var server = await TestServer.StartAsync(port, s =>
        {
            Takler.Core.Definitions.DefinitionLoader.LoadDef(s.Bunch, "suite w\n  task t\nendsuite\n", "w.def");
            var operations = new Takler.Core.Operations(s.Bunch, TimeProvider.System);
            operations.Begin("w");
            operations.Submit((Takler.Core.Nodes.Task)s.Bunch.GetNode("/w/t"), "pw1");
        });

        var result = await process.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("received: success\n", result.Stdout);
        Assert.Equal(Takler.Core.Nodes.NodeStatus.Complete, server.Server.Bunch.GetNode("/w/t").Status);
    }
}
