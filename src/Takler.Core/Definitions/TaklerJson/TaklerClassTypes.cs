namespace Takler.Core.Definitions.TaklerJson;

/// <summary>The node kinds a Takler document can name in <c>class_type</c>.</summary>
internal enum TaklerNodeKind
{
    Bunch,
    Flow,
    Container,
    Task,
    ShellScriptTask,
}

/// <summary>
/// Maps Takler's <c>class_type</c> module/name pairs to our node kinds, and back. Only these pairs are accepted:
/// a document never chooses a type to instantiate. Anything else fails as Python's import would
/// (<c>ModuleNotFoundError</c>, <c>AttributeError</c>).
/// </summary>
internal static class TaklerClassTypes
{
    public const string BunchModule = "takler.core.bunch";
    public const string FlowModule = "takler.core.flow";
    public const string ContainerModule = "takler.core.node_container";
    public const string TaskModule = "takler.core.task_node";
    public const string ShellScriptTaskModule = "takler.tasks.shell.shell_script_task";

    // Packages that exist in Takler, so `takler.core.nope` fails on its last part.
    private static readonly HashSet<string> Packages = ["takler", "takler.core", "takler.tasks", "takler.tasks.shell"];

    private static readonly HashSet<string> Modules = [BunchModule, FlowModule, ContainerModule, TaskModule, ShellScriptTaskModule];

    /// <summary>The module and class name Takler writes for a kind.</summary>
    public static (string Module, string Name) Of(TaklerNodeKind kind) => kind switch
    {
        TaklerNodeKind.Bunch => (BunchModule, "Bunch"),
        TaklerNodeKind.Flow => (FlowModule, "Flow"),
        TaklerNodeKind.Container => (ContainerModule, "NodeContainer"),
        TaklerNodeKind.Task => (TaskModule, "Task"),
        _ => (ShellScriptTaskModule, "ShellScriptTask"),
    };

    /// <summary>The kind named by a class_type; throws the error Python's import would raise.</summary>
    public static TaklerNodeKind Resolve(string module, string name)
    {
        switch (module, name)
        {
            case (BunchModule, "Bunch"): return TaklerNodeKind.Bunch;
            case (FlowModule, "Flow"): return TaklerNodeKind.Flow;
            case (ContainerModule, "NodeContainer"): return TaklerNodeKind.Container;
            case (TaskModule, "Task"): return TaklerNodeKind.Task;
            case (ShellScriptTaskModule, "ShellScriptTask"): return TaklerNodeKind.ShellScriptTask;
        }

        if (module.Length == 0)
        {
            throw PythonErrors.Internal("ValueError", "Empty module name");
        }

        // import_module imports each parent package first; the first missing one is named.
        var parts = module.Split('.');
        var prefix = string.Empty;
        for (var i = 0; i < parts.Length; i++)
        {
            prefix = i == 0 ? parts[0] : prefix + "." + parts[i];
            if (Packages.Contains(prefix))
            {
                continue;
            }

            if (Modules.Contains(prefix))
            {
                if (i + 1 < parts.Length)
                {
                    throw PythonErrors.Internal("ModuleNotFoundError", $"No module named '{prefix}.{parts[i + 1]}'; '{prefix}' is not a package");
                }

                break;
            }

            throw PythonErrors.Internal("ModuleNotFoundError", $"No module named '{prefix}'");
        }

        throw PythonErrors.Internal("AttributeError", $"module '{module}' has no attribute '{name}'");
    }
}
