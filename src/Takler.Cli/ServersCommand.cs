using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Takler.Client;

namespace Takler.Cli;

/// <summary>`takler_client servers [PREFIX]`: the registered servers and whether each answers a ping.</summary>
internal static class ServersCommand
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    public static Command Build()
    {
        var command = new Command("servers", "list the registered servers (takler_server --name) and whether each answers");
        var prefix = new Argument<string?>("PREFIX") { Arity = ArgumentArity.ZeroOrOne, Description = "only names that start with this" };
        var prune = new Option<bool>("--prune") { Description = "remove the servers that do not answer from the registry" };
        var json = new Option<bool>("--json") { Description = "print JSON (for programs)" };
        command.Arguments.Add(prefix);
        command.Options.Add(prune);
        command.Options.Add(json);
        command.SetAction(async (result, ct) =>
        {
            try
            {
                var registry = ServerRegistry.ForCurrentUser();
                var checkedServers = await ServerRegistry.PingAllAsync(registry.List(result.GetValue(prefix)), PingTimeout, ct).ConfigureAwait(false);
                if (result.GetValue(prune) && checkedServers.Any(c => !c.Answers))
                {
                    await registry.PruneAsync(PingTimeout, ct).ConfigureAwait(false);
                }

                Console.Out.Write(result.GetValue(json) ? Json(checkedServers) : Table(checkedServers));
                return 0;
            }
            catch (TaklerClientException e)
            {
                return CommandExecution.Fail(e);
            }
        });
        return command;
    }

    private static string Table(IReadOnlyList<(RegisteredServer Server, bool Answers)> servers)
    {
        var rows = servers.Select(c => new[]
        {
            c.Server.Name,
            c.Server.Address.ToString(),
            c.Server.Pid.ToString(CultureInfo.InvariantCulture),
            c.Server.StartTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            c.Answers ? "yes" : "no",
        }).Prepend(["NAME", "ADDRESS", "PID", "STARTED", "ANSWERS"]).ToList();
        var widths = Enumerable.Range(0, 5).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i])))).Append('\n');
        }

        return text.ToString();
    }

    private static string Json(IReadOnlyList<(RegisteredServer Server, bool Answers)> servers)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var (s, answers) in servers)
            {
                writer.WriteStartObject();
                writer.WriteString("name", s.Name);
                writer.WriteString("host", s.Host);
                writer.WriteNumber("port", s.Port);
                writer.WriteNumber("pid", s.Pid);
                writer.WriteString("start_time", s.StartTime.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
                writer.WriteBoolean("answers", answers);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
