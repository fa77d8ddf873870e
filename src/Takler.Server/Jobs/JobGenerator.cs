using System.Text;

namespace Takler.Server.Jobs;

/// <summary>
/// Locates a task's script (<see cref="ScriptLocator"/>), pre-processes it in its dialect, and writes the job file to
/// TAKLER_JOB (folders created, mode 0700). Thread-safe; include files are cached across jobs.
/// </summary>
public sealed class JobGenerator
{
    /// <summary>The permissions of a job file: read, write and execute for the owner only.</summary>
    public const UnixFileMode JobFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Creates a generator with its own (or a shared) file cache.</summary>
    public JobGenerator(ScriptFileCache? cache = null)
    {
        Cache = cache ?? new ScriptFileCache();
    }

    /// <summary>The cache of scripts and include files.</summary>
    public ScriptFileCache Cache { get; }

    /// <summary>Pre-processes a located script in its dialect, without writing anything.</summary>
    public PreprocessResult Preprocess(ScriptLocation script, JobVariables variables)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (script.Path is null)
        {
            return new PreprocessResult(string.Empty, [new PreprocessError("(none)", 0, script.NoScriptReason)]);
        }

        return script.Dialect == ScriptDialect.Ecf
            ? EcfPreprocessor.Process(script.Path, variables, Cache)
            : TaklerPreprocessor.Process(script.Path, variables, Cache);
    }

    /// <summary>Locates, pre-processes and writes the job of the task at <paramref name="taskPath"/>.</summary>
    public JobGeneration Generate(string taskPath, JobVariables variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var script = ScriptLocator.Locate(taskPath, variables);
        if (!script.Found)
        {
            return new JobGeneration(script, null, JobErrorCode.NoScript, script.NoScriptReason);
        }

        var jobPath = variables.FindNonEmpty("TAKLER_JOB");
        if (jobPath is null)
        {
            return new JobGeneration(script, null, JobErrorCode.NoJobPath, "TAKLER_JOB is not defined: nowhere to write the job");
        }

        var result = Preprocess(script, variables);
        if (!result.Success)
        {
            var code = result.Errors[0].Line == 0 ? JobErrorCode.FileError : JobErrorCode.PreprocessFailed;
            return new JobGeneration(script, null, code, result.Reason);
        }

        try
        {
            WriteJobFile(jobPath, result.Text);
            if (variables.FindNonEmpty("TAKLER_JOBOUT") is { } jobOut
                && Path.GetDirectoryName(Path.GetFullPath(jobOut)) is { } outDirectory
                && outDirectory != Path.GetDirectoryName(Path.GetFullPath(jobPath)))
            {
                Directory.CreateDirectory(outDirectory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new JobGeneration(script, null, JobErrorCode.FileError, $"cannot write job file {jobPath}: {e.Message}");
        }

        return new JobGeneration(script, jobPath, JobErrorCode.None, null);
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="jobPath"/> with mode 0700, creating its folders.</summary>
    public static void WriteJobFile(string jobPath, string text)
    {
        ArgumentNullException.ThrowIfNull(jobPath);
        ArgumentNullException.ThrowIfNull(text);
        var full = Path.GetFullPath(jobPath);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = JobFileMode;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(full, options);
        }
        catch (DirectoryNotFoundException)
        {
            // The folder is usually there already: create it only when the open says so (one system call fewer a job).
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            stream = new FileStream(full, options);
        }

        using (stream)
        {
            if (!OperatingSystem.IsWindows())
            {
                // UnixCreateMode only applies to a new file (and passes through the umask); an old job file keeps its mode.
                File.SetUnixFileMode(stream.SafeFileHandle, JobFileMode);
            }

            stream.Write(Utf8NoBom.GetBytes(text));
        }
    }
}
