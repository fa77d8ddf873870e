using System.Reflection;
using System.Text.Json;
using Takler.Protocol.Tests.TestSupport;

namespace Takler.Protocol.Tests.GrpcJs;

/// <summary>
/// Starts our server, runs <c>grpcjs/client.js</c> (grpc-js from npm) against it once, and keeps
/// its JSON answer for the tests. Installs the npm packages with <c>npm ci</c> when
/// <c>node_modules</c> is missing; if npm or node cannot run, every test of the class fails.
/// </summary>
public sealed class GrpcJsRun : IAsyncLifetime
{
    private TestServer? _server;
    private JsonDocument? _results;

    public JsonElement Results => _results!.RootElement;

    internal TestServer Server => _server!;

    public async Task InitializeAsync()
    {
        var directory = AssemblyMetadata("GrpcJsDirectory");
        var protoFile = AssemblyMetadata("ProtoFile");
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
        {
            var (npmExit, _, npmError) = await ExternalProcess.RunAsync(
                "npm", ["ci", "--no-audit", "--no-fund"], directory, TimeSpan.FromMinutes(5));
            if (npmExit != 0)
            {
                throw new InvalidOperationException($"npm ci failed in {directory} with exit code {npmExit}: {npmError}");
            }
        }

        _server = await TestServer.StartAsync();
        var (exit, output, error) = await ExternalProcess.RunAsync(
            "node",
            ["client.js", _server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), protoFile],
            directory,
            TimeSpan.FromSeconds(90));
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
        typeof(GrpcJsRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing.");
}
