using System.Text.Json;
using System.Text.RegularExpressions;
using Takler.Protocol;

namespace Takler.Server.Tests.Hosting;

/// <summary>`takler_server` as an operator runs it: a separate process, options, log lines, signals, start-up failures.</summary>
public partial class TaklerServerHostTests
{
    private const string Def = """
        suite hostdef
          task a
            event go
          family f
            task b
              trigger ../a == complete
          endfamily
        endsuite
        """;

    [Fact]
    public async Task Starts_logs_Takler_lines_and_answers_ping()
    {
        await using var server = await ServerProcess.StartReadyAsync();
        await server.Client.RunRequestPingAsync(new PingRequest());
        await server.WaitForLineAsync("main loop...");

        var lines = server.StandardOutput;
        Assert.All(lines, l => Assert.Matches(LogLine(), l));
        var messages = lines.Select(l => LogLine().Match(l)).Select(m => $"{m.Groups["level"].Value.TrimEnd()} {m.Groups["logger"].Value} - {m.Groups["message"].Value}").ToList();
        Assert.Equal(
            [
                "INFO takler.server - start server...",
                $"INFO takler.server - service started: 127.0.0.1:{server.Port}",
                "INFO takler.server - start server...done",
            ],
            messages.Where(m => m.StartsWith("INFO takler.server - s", StringComparison.Ordinal) && !m.Contains("state database", StringComparison.Ordinal)).Take(3));
        Assert.Contains("INFO takler.server.scheduler - main loop...", messages);
        Assert.Empty(server.StandardError);
    }

    [Fact]
    public async Task Loads_a_def_file_without_beginning_it()
    {
        var def = Path.Combine(Path.GetTempPath(), $"takler-host-{Guid.NewGuid():N}.def");
        await File.WriteAllTextAsync(def, Def);
        try
        {
            await using var server = await ServerProcess.StartReadyAsync("--load", def);
            using var show = await ShowAsync(server);
            var flow = Flow(show, "hostdef");
            Assert.False(flow.GetProperty("begun").GetBoolean());
            Assert.Equal(["a", "f"], flow.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        }
        finally
        {
            File.Delete(def);
        }
    }

    [Fact]
    public async Task Loads_a_Takler_json_file_and_begins_it()
    {
        await using var server = await ServerProcess.StartReadyAsync("--load", CompatFiles.PathOf("server_session.load.json"), "--begin");
        using var show = await ShowAsync(server);
        var flow = Flow(show, "demo");
        Assert.True(flow.GetProperty("begun").GetBoolean());
        var t1 = flow.GetProperty("children")[0];
        Assert.Equal("t1", t1.GetProperty("name").GetString());

        // Begun and submitted once; with no script in TAKLER_HOME the submission may already have failed.
        Assert.Equal(1, t1.GetProperty("try_no").GetInt32());
    }

    [Fact]
    public async Task Loads_several_files_with_begin_and_log_level()
    {
        var def = Path.Combine(Path.GetTempPath(), $"takler-host-{Guid.NewGuid():N}.def");
        await File.WriteAllTextAsync(def, Def);
        try
        {
            await using var server = await ServerProcess.StartReadyAsync(
                "--load", def, "--load", CompatFiles.PathOf("server_session.load.json"), "--begin", "--log-level", "Debug", "--interval", "1");
            using var show = await ShowAsync(server);
            Assert.True(Flow(show, "hostdef").GetProperty("begun").GetBoolean());
            Assert.True(Flow(show, "demo").GetProperty("begun").GetBoolean());
            await server.WaitForLineAsync("| DEBUG    | takler.server.scheduler - submit /hostdef/a try 1");
        }
        finally
        {
            File.Delete(def);
        }
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task A_signal_stops_the_server_cleanly_with_exit_code_0(string signal)
    {
        await using var server = await ServerProcess.StartReadyAsync();
        await server.WaitForLineAsync("main loop...");
        await server.SignalAsync(signal);

        Assert.Equal(0, await server.WaitForExitAsync());
        Assert.Contains(server.StandardOutput, l => l.EndsWith("takler.server - server stopped", StringComparison.Ordinal));
        Assert.Empty(server.StandardError);
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_on_stderr_and_a_non_zero_exit()
    {
        await using var first = await ServerProcess.StartReadyAsync();
        await using var second = ServerProcess.Start([], first.Port);

        var exit = await second.WaitForExitAsync();
        Assert.NotEqual(0, exit);
        var error = Assert.Single(second.StandardError);
        Assert.Equal($"takler_server: port {first.Port} is already in use", error);
        Assert.DoesNotContain(second.StandardOutput, l => l.Contains("start server...done", StringComparison.Ordinal));

        // The first server is unharmed.
        await first.Client.RunRequestPingAsync(new PingRequest());
    }

    [Theory]
    [InlineData("bad.json", "{bad", "flow definition is not valid json")]
    [InlineData("bad.def", "suite x\n  task\nendsuite\n", "bad.def:2:")]
    [InlineData("trigger.def", "suite x\n  task a\n    trigger nope == complete\nendsuite\n", "nope")]
    [InlineData("missing.def", null, "no such file")]
    public async Task A_bad_load_file_is_one_line_naming_the_file_and_a_non_zero_exit(string name, string? content, string problem)
    {
        var dir = Directory.CreateTempSubdirectory("takler-host-load-").FullName;
        var file = Path.Combine(dir, name);
        if (content is not null)
        {
            await File.WriteAllTextAsync(file, content);
        }

        try
        {
            await using var server = ServerProcess.Start(["--load", file]);
            Assert.NotEqual(0, await server.WaitForExitAsync());
            var error = Assert.Single(server.StandardError);
            Assert.StartsWith($"takler_server: {file}", error, StringComparison.Ordinal);
            Assert.Contains(problem, error, StringComparison.Ordinal);
            Assert.DoesNotContain(server.StandardOutput, l => l.Contains("start server...done", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<JsonDocument> ShowAsync(ServerProcess server)
    {
        var show = await server.Client.RunRequestShowAsync(new ShowRequest());
        return JsonDocument.Parse(show.Output);
    }

    private static JsonElement Flow(JsonDocument show, string name) =>
        show.RootElement.GetProperty("flows").EnumerateArray().Single(f => f.GetProperty("name").GetString() == name);

    // Takler's layout: `2022-07-05 03:09:52.853 | INFO     | takler.server - start server...`.
    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \| (?<level>[A-Z]+ *) \| (?<logger>[a-z_.]+) - (?<message>.*)$")]
    private static partial Regex LogLine();
}
