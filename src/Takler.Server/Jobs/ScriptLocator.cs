namespace Takler.Server.Jobs;

/// <summary>
/// Finds a task's script. In order:
/// <list type="number">
/// <item>TAKLER_SCRIPT when set (then nothing else), else ECF_SCRIPT when set as a variable of its own;</item>
/// <item>TAKLER_FILES + task path + <c>.takler</c>, then <c>.ecf</c>;</item>
/// <item>TAKLER_HOME + task path + <c>.takler</c>, then <c>.ecf</c>;</item>
/// <item>ECF_FILES + task path + ECF_EXTN (default <c>.ecf</c>), dropping leading path segments one by one as ecFlow
/// does (<c>/s/f/t.ecf</c>, <c>/f/t.ecf</c>, <c>/t.ecf</c>);</item>
/// <item>ECF_HOME + task path + ECF_EXTN.</item>
/// </list>
/// A <c>.ecf</c> script (or one ending in ECF_EXTN) is in the ecFlow dialect, anything else in Takler's.
/// </summary>
public static class ScriptLocator
{
    /// <summary>The extension of Takler scripts.</summary>
    public const string TaklerExtension = ".takler";

    /// <summary>The extension of ecFlow scripts (ECF_EXTN's default).</summary>
    public const string EcfExtension = ".ecf";

    /// <summary>Locates the script of the task at <paramref name="taskPath"/>.</summary>
    public static ScriptLocation Locate(string taskPath, JobVariables variables)
    {
        ArgumentNullException.ThrowIfNull(taskPath);
        ArgumentNullException.ThrowIfNull(variables);
        var ecfExtension = Exact(variables, "ECF_EXTN") ?? EcfExtension;
        var tried = new List<string>(8);

        var explicitScript = Exact(variables, "TAKLER_SCRIPT") ?? Exact(variables, "ECF_SCRIPT");
        if (explicitScript is not null)
        {
            tried.Add(explicitScript);
            return Result(ScriptFileCache.Exists(explicitScript) ? explicitScript : null, tried, ecfExtension);
        }

        var path = taskPath.StartsWith('/') ? taskPath : "/" + taskPath;
        foreach (var variable in (string[])["TAKLER_FILES", "TAKLER_HOME"])
        {
            if (Exact(variables, variable) is { } root)
            {
                if ((Try(Join(root, path) + TaklerExtension, tried) ?? Try(Join(root, path) + EcfExtension, tried)) is { } found)
                {
                    return Result(found, tried, ecfExtension);
                }
            }
        }

        if (Exact(variables, "ECF_FILES") is { } files)
        {
            var suffix = path;
            while (true)
            {
                if (Try(Join(files, suffix) + ecfExtension, tried) is { } found)
                {
                    return Result(found, tried, ecfExtension);
                }

                var next = suffix.IndexOf('/', 1);
                if (next < 0)
                {
                    break;
                }

                suffix = suffix[next..];
            }
        }

        if (Exact(variables, "ECF_HOME") is { } home && Try(Join(home, path) + ecfExtension, tried) is { } inHome)
        {
            return Result(inHome, tried, ecfExtension);
        }

        return Result(null, tried, ecfExtension);
    }

    /// <summary>The dialect of a script: ecFlow's for <c>.ecf</c> (or <paramref name="ecfExtension"/>), else Takler's.</summary>
    public static ScriptDialect DialectOf(string scriptPath, string ecfExtension = EcfExtension)
    {
        ArgumentNullException.ThrowIfNull(scriptPath);
        if (scriptPath.EndsWith(TaklerExtension, StringComparison.Ordinal))
        {
            return ScriptDialect.Takler;
        }

        return scriptPath.EndsWith(EcfExtension, StringComparison.Ordinal)
            || (ecfExtension.Length > 0 && scriptPath.EndsWith(ecfExtension, StringComparison.Ordinal))
            ? ScriptDialect.Ecf
            : ScriptDialect.Takler;
    }

    private static ScriptLocation Result(string? path, List<string> tried, string ecfExtension) =>
        new(path, path is null ? ScriptDialect.Takler : DialectOf(path, ecfExtension), tried);

    private static string? Try(string candidate, List<string> tried)
    {
        if (tried.Contains(candidate))
        {
            return null;
        }

        tried.Add(candidate);
        return ScriptFileCache.Exists(candidate) ? candidate : null;
    }

    private static string Join(string root, string path) => root.TrimEnd('/') + path;

    private static string? Exact(JobVariables variables, string name) =>
        variables.TryGetExact(name, out var value) && value.Length > 0 ? value : null;
}
