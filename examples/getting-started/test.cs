#:project ../../src/Takler.Core/Takler.Core.csproj
#:property PublishAot=false
#:property TreatWarningsAsErrors=true

// The seed tutorial in C#: flow `test` with task `t1`, whose script is test/task1.takler.
using Takler.Core.Nodes;
using Takler.Core.Visitors;

var home = Path.GetFullPath(Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Directory.GetCurrentDirectory()));

var flow = new Flow("test");
flow.AddParameter("TAKLER_HOME", home);
var task1 = flow.AddTask(new ShellScriptTask("t1"));
task1.AddParameter("TAKLER_SCRIPT", Path.Combine(home, "test/task1.takler"));

new PrintVisitor(Console.Out).Print(flow);
