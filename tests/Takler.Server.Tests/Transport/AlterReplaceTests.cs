using Takler.Protocol;
using Task = System.Threading.Tasks.Task;

namespace Takler.Server.Tests.Transport;

public class AlterReplaceTests
{
    private const string Suite = """
        suite s
          family f
            task a
              meter m 0 100
              event e
              label l "x"
              edit V one
            task b
              trigger a == complete
          endfamily
          task c
        endsuite
        """;

    private static async Task<ServerFixture> StartAsync()
    {
        var fx = await ServerFixture.StartAsync();
        var load = await fx.Client.RunCommandLoadDefAsync(new LoadDefCommand { Definition = Suite });
        Assert.Equal(0, load.Flag);
        return fx;
    }

    private static Task<ServiceResponse> Alter(ServerFixture fx, AlterAction action, AttributeKind kind, string name, string value, params string[] paths) =>
        fx.Client.RunCommandAlterAsync(new AlterCommand { NodePath = { paths }, Action = action, Kind = kind, Name = name, Value = value });

    private static async Task<string> Def(ServerFixture fx) =>
        (await fx.Client.RequestExportAsync(new ExportRequest { Format = DefinitionFormat.EcflowDef })).Content;

    [Fact]
    public async Task Alter_adds_changes_and_deletes_parameters_and_attributes()
    {
        await using var fx = await StartAsync();
        Assert.Equal(0, (await Alter(fx, AlterAction.Add, AttributeKind.Parameter, "W", "two words", "/s/f/a", "/s/c")).Flag);
        Assert.Equal(0, (await Alter(fx, AlterAction.Change, AttributeKind.Parameter, "V", "uno", "/s/f/a")).Flag);
        Assert.Equal(0, (await Alter(fx, AlterAction.Add, AttributeKind.Meter, "n", "0,10,5", "/s/c")).Flag);
        Assert.Equal(0, (await Alter(fx, AlterAction.Change, AttributeKind.Meter, "m", "42", "/s/f/a")).Flag);
        Assert.Equal(0, (await Alter(fx, AlterAction.Add, AttributeKind.Event, "go", "", "/s/c")).Flag);
        Assert.Equal(0, (await Alter(fx, AlterAction.Change, AttributeKind.Event, "e", "set", "/s/f/a")).Flag);
        Assert.Equal(0, (await Alter(fx, AlterAction.Change, AttributeKind.Label, "l", "new text", "/s/f/a")).Flag);
        Assert.Equal(0, (await Alter(fx, AlterAction.Add, AttributeKind.Limit, "lim", "2", "/s")).Flag);
        Assert.Equal(0, (await Alter(fx, AlterAction.Change, AttributeKind.LimitMax, "lim", "3", "/s")).Flag);
        Assert.Equal(0, (await Alter(fx, AlterAction.Add, AttributeKind.InLimit, "/s:lim", "", "/s/f")).Flag);
        Assert.Equal(0, (await Alter(fx, AlterAction.Add, AttributeKind.Time, "", "10:00", "/s/c")).Flag);
        Assert.Equal(0, (await Alter(fx, AlterAction.Add, AttributeKind.Time, "day", "monday", "/s/c")).Flag);
        Assert.Equal(0, (await Alter(fx, AlterAction.Add, AttributeKind.Complete, "", "a:e", "/s/f/b")).Flag);
        Assert.Equal(0, (await Alter(fx, AlterAction.Change, AttributeKind.Trigger, "", "a == complete or a:m > 50", "/s/f/b")).Flag);
        Assert.Equal(0, (await Alter(fx, AlterAction.Delete, AttributeKind.Label, "l", "", "/s/f/a")).Flag);

        var def = await Def(fx);
        Assert.Contains("edit W 'two words'", def, StringComparison.Ordinal);
        Assert.Contains("edit V 'uno'", def, StringComparison.Ordinal);
        Assert.Contains("meter n 0 10 5", def, StringComparison.Ordinal);
        Assert.Matches("meter m 0 100[^\\n]*42", def);
        Assert.Contains("event go", def, StringComparison.Ordinal);
        Assert.Contains("limit lim 3", def, StringComparison.Ordinal);
        Assert.Contains("inlimit /s:lim", def, StringComparison.Ordinal);
        Assert.Contains("time 10:00", def, StringComparison.Ordinal);
        Assert.Contains("day monday", def, StringComparison.Ordinal);
        Assert.Contains("trigger a == complete or a:m > 50", def, StringComparison.Ordinal);
        Assert.Contains("complete a:e", def, StringComparison.Ordinal);
        Assert.DoesNotContain("label l", def, StringComparison.Ordinal);

        Assert.Equal(0, (await Alter(fx, AlterAction.Delete, AttributeKind.Time, "day", "", "/s/c")).Flag);
        Assert.Equal(0, (await Alter(fx, AlterAction.Delete, AttributeKind.Trigger, "", "", "/s/f/b")).Flag);
        def = await Def(fx);
        Assert.DoesNotContain("day monday", def, StringComparison.Ordinal);
        Assert.Contains("time 10:00", def, StringComparison.Ordinal);
        Assert.DoesNotContain("trigger", def, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AlterAction.Add, AttributeKind.Meter, "m", "0 10")] // exists
    [InlineData(AlterAction.Change, AttributeKind.Meter, "m", "101")] // out of range
    [InlineData(AlterAction.Change, AttributeKind.Meter, "nope", "1")]
    [InlineData(AlterAction.Change, AttributeKind.Trigger, "", "a == ")] // syntax
    [InlineData(AlterAction.Change, AttributeKind.Trigger, "", "/s/nope == complete")] // unresolved
    [InlineData(AlterAction.Add, AttributeKind.Time, "", "25:99")]
    [InlineData(AlterAction.Change, AttributeKind.Parameter, "NOPE", "1")]
    [InlineData(AlterAction.Add, AttributeKind.Event, "", "")]
    [InlineData(AlterAction.Change, AttributeKind.Label, "l", "two\nlines")]
    public async Task A_bad_alter_is_an_error_and_changes_nothing_on_any_node(AlterAction action, AttributeKind kind, string name, string value)
    {
        await using var fx = await StartAsync();
        var before = await Def(fx);
        // /s/f/a would accept some of these; /s/f/b or /s/c makes the request fail, and then nothing changes anywhere.
        var response = await Alter(fx, action, kind, name, value, "/s/f/a", "/s/c");
        Assert.NotEqual(0, response.Flag);
        Assert.Contains("alter", response.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await Def(fx));
    }

    [Fact]
    public async Task A_changed_trigger_is_scheduled_on_at_once()
    {
        await using var fx = await StartAsync();
        Assert.Equal(0, (await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "s" })).Flag);
        var submitted = new HashSet<string>();
        for (var i = 0; i < 2; i++)
        {
            submitted.Add((await fx.Jobs.NextSubmissionAsync()).TaskPath);
        }

        Assert.Equal(["/s/c", "/s/f/a"], submitted.Order());
        Assert.Equal(0, (await Alter(fx, AlterAction.Change, AttributeKind.Trigger, "", "1 == 1", "/s/f/b")).Flag);
        Assert.Equal("/s/f/b", (await fx.Jobs.NextSubmissionAsync()).TaskPath);
    }

    [Fact]
    public async Task Replace_puts_the_new_node_in_place_and_refuses_running_tasks_without_force()
    {
        await using var fx = await StartAsync();
        const string newer = """
            suite s
              family f
                task x
                  meter q 1 5
              endfamily
            endsuite
            """;
        var ok = await fx.Client.RunCommandReplaceAsync(new ReplaceCommand { NodePath = "/s/f", Definition = newer });
        Assert.Equal(0, ok.Flag);
        var def = await Def(fx);
        Assert.Contains("task x", def, StringComparison.Ordinal);
        Assert.DoesNotContain("task a", def, StringComparison.Ordinal);
        Assert.True(def.IndexOf("family f", StringComparison.Ordinal) < def.IndexOf("task c", StringComparison.Ordinal)); // order kept

        var missing = await fx.Client.RunCommandReplaceAsync(new ReplaceCommand { NodePath = "/s/f/y", Definition = newer });
        Assert.NotEqual(0, missing.Flag);
        var bad = await fx.Client.RunCommandReplaceAsync(new ReplaceCommand { NodePath = "/s/f", Definition = "suite s\n  family f\n    task x\n      trigger (\n  endfamily\nendsuite\n" });
        Assert.NotEqual(0, bad.Flag);
        Assert.Equal(def, await Def(fx));

        const string added = "suite s\n  family g\n    task y\n  endfamily\nendsuite\n";
        Assert.NotEqual(0, (await fx.Client.RunCommandReplaceAsync(new ReplaceCommand { NodePath = "/s/g", Definition = added })).Flag);
        Assert.Equal(0, (await fx.Client.RunCommandReplaceAsync(new ReplaceCommand { NodePath = "/s/g", Definition = added, CreateParents = true })).Flag);
        Assert.Contains("family g", await Def(fx), StringComparison.Ordinal);

        Assert.Equal(0, (await fx.Client.RunCommandBeginAsync(new BeginCommand { FlowName = "s" })).Flag);
        await fx.Jobs.NextSubmissionAsync();
        var running = await fx.Client.RunCommandReplaceAsync(new ReplaceCommand { NodePath = "/s", Definition = Suite });
        Assert.Equal(1, running.Flag == 0 ? 0 : 1);
        Assert.Contains("force", running.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await fx.Client.RunCommandReplaceAsync(new ReplaceCommand { NodePath = "/s", Definition = Suite, Force = true })).Flag);
    }
}
