#:project ../../src/Takler.Server/Takler.Server.csproj
#:property PublishAot=false
#:property TreatWarningsAsErrors=true

// The seed tutorial in C#: flow `test` with task `t1` (script test/task1.takler), printed, then served.
// Run: dotnet run test.cs [-- --port N] [-- --begin]
using Microsoft.Extensions.Logging;
using Takler.Core;
using Takler.Core.Nodes;
using Takler.Core.Visitors;
using Takler.Server.Hosting;

var home = AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Directory.GetCurrentDirectory();
var port = args.SkipWhile(a => a != "--port").Skip(1).Select(int.Parse).FirstOrDefault(33083);

var flow = new Flow("test");
flow.AddParameter("TAKLER_HOME", home);
var task1 = flow.AddTask(new ShellScriptTask("t1"));
task1.AddParameter("TAKLER_SCRIPT", Path.Combine(home, "test/task1.takler"));
task1.AddEvent("ready");
task1.AddMeter("progress", 0, 3);

new PrintVisitor(Console.Out).Print(flow);

using var logging = LoggerFactory.Create(b => b
    .AddConsole(o => o.FormatterName = TaklerConsoleFormatter.FormatterName)
    .AddConsoleFormatter<TaklerConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>());
var server = new TaklerServer(new TaklerServerOptions { Port = port, Home = home, LoopbackOnly = true }, loggerFactory: logging);
server.Bunch.AddFlow(flow);
if (args.Contains("--begin"))
{
    new Operations(server.Bunch, TimeProvider.System).Begin("test");
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
await server.StartAsync();
await server.RunAsync(stop.Token);
