namespace Takler.Core.Nodes;

/// <summary>A task whose job is a shell script at a known path (<see cref="ScriptPath"/>, published as TAKLER_SCRIPT).</summary>
public sealed class ShellScriptTask : Task
{
    public ShellScriptTask(string name, string? scriptPath = null)
        : base(name)
    {
        ScriptPath = scriptPath;
    }

    /// <summary>The script; when null, TAKLER_SCRIPT or TAKLER_FILES/TAKLER_HOME locate it.</summary>
    public string? ScriptPath { get; set; }

    private protected override IEnumerable<KeyValuePair<string, string>> JobParameters()
    {
        if (ScriptPath is not null)
        {
            yield return new("TAKLER_SCRIPT", ScriptPath);
        }

        foreach (var p in base.JobParameters())
        {
            yield return p;
        }
    }
}
