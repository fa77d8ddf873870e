using System.Globalization;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Server.Jobs;

/// <summary>
/// The variables a job sees: the request's lookup, with the request's own fields laid over it, and the
/// ecFlow/Takler twins (ECF_HOME and TAKLER_HOME, ECF_TRYNO and TAKLER_TRY_NO, ...) standing in for each other,
/// so an ecFlow script imported as is and a Takler script can both run under either server's variables.
/// </summary>
public sealed class JobVariables
{
    private static readonly Dictionary<string, string> Twins = BuildTwins(
        ("TAKLER_HOME", "ECF_HOME"),
        ("TAKLER_FILES", "ECF_FILES"),
        ("TAKLER_INCLUDE", "ECF_INCLUDE"),
        ("TAKLER_SCRIPT", "ECF_SCRIPT"),
        ("TAKLER_JOB", "ECF_JOB"),
        ("TAKLER_JOBOUT", "ECF_JOBOUT"),
        ("TAKLER_NAME", "ECF_NAME"),
        ("TAKLER_PASS", "ECF_PASS"),
        ("TAKLER_TRY_NO", "ECF_TRYNO"),
        ("TAKLER_RID", "ECF_RID"),
        ("TAKLER_HOST", "ECF_HOST"),
        ("TAKLER_PORT", "ECF_PORT"),
        ("TAKLER_JOB_CMD", "ECF_JOB_CMD"),
        ("TAKLER_KILL_CMD", "ECF_KILL_CMD"),
        ("TAKLER_STATUS_CMD", "ECF_STATUS_CMD"));

    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly Dictionary<string, string> _overrides;

    /// <summary>Wraps a variable lookup, with optional values that win over it.</summary>
    public JobVariables(IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string>? overrides = null)
    {
        _values = values;
        _overrides = overrides is null ? new(StringComparer.Ordinal) : new(overrides, StringComparer.Ordinal);
    }

    /// <summary>
    /// The variables of a request: its lookup, with TAKLER_NAME/ECF_NAME, TAKLER_TRY_NO/ECF_TRYNO, TAKLER_PASS/ECF_PASS
    /// and (when set) TAKLER_RID/ECF_RID taken from the request's own fields.
    /// </summary>
    public static JobVariables For(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tryNo = request.TryNo.ToString(CultureInfo.InvariantCulture);
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TAKLER_NAME"] = request.TaskPath,
            ["ECF_NAME"] = request.TaskPath,
            ["TAKLER_TRY_NO"] = tryNo,
            ["ECF_TRYNO"] = tryNo,
            ["TAKLER_PASS"] = request.Password,
            ["ECF_PASS"] = request.Password,
        };
        if (request.Rid is { } rid)
        {
            overrides["TAKLER_RID"] = rid;
            overrides["ECF_RID"] = rid;
        }

        return new JobVariables(request.Variables, overrides);
    }

    /// <summary>
    /// Every variable a task's job may use, as the task sees them: user parameters, repeat values and generated
    /// parameters from the task up to the server, the nearest winning. Call it on the engine's loop.
    /// </summary>
    public static Dictionary<string, string> Capture(Task task)
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

    /// <summary>Looks a variable up by exactly this name, with no twin standing in.</summary>
    public bool TryGetExact(string name, out string value)
    {
        if (_overrides.TryGetValue(name, out var o))
        {
            value = o;
            return true;
        }

        if (_values.TryGetValue(name, out var v))
        {
            value = v;
            return true;
        }

        value = string.Empty;
        return false;
    }

    /// <summary>Looks a variable up; an undefined ECF_X/TAKLER_X falls back to its twin.</summary>
    public bool TryGet(string name, out string value) =>
        TryGetExact(name, out value) || (Twins.TryGetValue(name, out var twin) && TryGetExact(twin, out value));

    /// <summary>The value, or null when undefined (twins included).</summary>
    public string? Find(string name) => TryGet(name, out var value) ? value : null;

    /// <summary>The value when defined and not empty (twins included), else null.</summary>
    public string? FindNonEmpty(string name) => TryGet(name, out var value) && value.Length > 0 ? value : null;

    private static Dictionary<string, string> BuildTwins(params (string Takler, string Ecf)[] pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (takler, ecf) in pairs)
        {
            map[takler] = ecf;
            map[ecf] = takler;
        }

        return map;
    }
}
