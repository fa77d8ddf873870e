using Takler.Core.Nodes;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Engine;

/// <summary>Captures every variable a task's job may use, as the task sees them, on the engine's loop.</summary>
internal static class JobVariables
{
    /// <summary>User parameters, repeat values and generated parameters from the task up to the server; the nearest wins.</summary>
    public static Dictionary<string, string> Capture(TaskNode task)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        for (Node? node = task; node is not null; node = node.Parent)
        {
            foreach (var p in node.Parameters)
            {
                variables.TryAdd(p.Name, p.Value);
            }

            if (node.Repeat is { } repeat)
            {
                foreach (var (name, value) in repeat.GeneratedParameters())
                {
                    variables.TryAdd(name, value);
                }
            }

            foreach (var (name, value) in node.GeneratedParameters())
            {
                variables.TryAdd(name, value);
            }
        }

        if (task.Bunch is { } bunch)
        {
            foreach (var p in bunch.ServerParameters)
            {
                variables.TryAdd(p.Name, p.Value);
            }

            foreach (var (name, value) in bunch.GeneratedServerParameters())
            {
                variables.TryAdd(name, value);
            }
        }

        return variables;
    }
}
