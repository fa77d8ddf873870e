using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Takler.Server.Tests.Hosting;

namespace Takler.Server.Tests.Wire;

/// <summary>
/// Starts a real `takler_server` (`--allow-passwordless-child`, a `.def` loaded at start) with do-nothing job scripts
/// in its home, runs <c>Wire/grpcjs/client.js</c> (grpc-js from npm) against it once, and keeps its JSON answer and
/// the still-running server for the tests. Installs the npm packages with <c>npm ci</c> when <c>node_modules</c> is
/// missing; if npm or node cannot run, every test of the class fails.
/// </summary>
public sealed class GrpcJsServerRun : IAsyncLifetime
{
    private ServerProcess? _server;
    private JsonDocument? _results;

    public JsonElement Results => _results!.RootElement;

    internal ServerProcess Server => _server!;

    public async Task InitializeAsync()
    {
        var directory = AssemblyMetadata("GrpcJsDirectory");
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
        {
            var (npmExit, _, npmError) = await NodeScript.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], directory, TimeSpan.FromMinutes(5));
            if (npmExit != 0)
            {
                throw new InvalidOperationException($"npm ci failed in {directory} with exit code {npmExit}: {npmError}");
            }
        }

        var home = Directory.CreateTempSubdirectory("takler-wire-").FullName;

        // Takler's session flow with TAKLER_HOME pointing here, and a script for every task: each job is `true`, so
        // submissions succeed and the test plays the job's part with child commands, as the transcript does.
        var session = (await File.ReadAllTextAsync(CompatFiles.PathOf("server_session.load.json"))).Replace("/data/takler/session", home, StringComparison.Ordinal);
        var sessionFile = Path.Combine(home, "session.load.json");
        await File.WriteAllTextAsync(sessionFile, session);
        foreach (var flow in (string[])["demo", "idle"])
        {
            foreach (var task in (string[])["t1", "t2", "c1/t3"])
            {
                var script = Path.Combine(home, flow, task + ".takler");
                Directory.CreateDirectory(Path.GetDirectoryName(script)!);
                await File.WriteAllTextAsync(script, "true\n");
            }
        }

        var def = Path.Combine(home, "preloaded.def");
        await File.WriteAllTextAsync(def, "suite preloaded\n  task a\nendsuite\n");

        _server = ServerProcess.Start(["--allow-passwordless-child", "--load", def], home: home);
        await _server.WaitForLineAsync("start server...done");
        var (exit, output, error) = await NodeScript.RunAsync(
            "node",
            ["client.js", _server.Port.ToString(CultureInfo.InvariantCulture), AssemblyMetadata("ProtoFile"), sessionFile],
            directory,
            TimeSpan.FromSeconds(120));
        if (exit != 0)
        {
            throw new InvalidOperationException($"node client.js failed with exit code {exit}: {error}");
        }

        _results = JsonDocument.Parse(output);
    }

    public async Task DisposeAsync()
    {
        _results?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static string AssemblyMetadata(string key) =>
        typeof(GrpcJsServerRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing.");
}
