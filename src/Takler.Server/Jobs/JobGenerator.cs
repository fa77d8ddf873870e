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

    private static readonly Lazy<bool> LazyUmaskHidesOwnerBits = new(() =>
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Umask:", StringComparison.Ordinal))
                {
                    var umask = Convert.ToInt32(line["Umask:".Length..].Trim(), 8);
                    return (umask & 0b111_000_000) != 0;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return true;
    });

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
    /// <remarks>
    /// A job file is usually new (each try has its own name), so it is created exclusively (<c>O_CREAT|O_EXCL</c>, mode
    /// given to the open): on ext4 that is about a third of the CPU of <see cref="FileMode.Create"/>, whose
    /// <c>ftruncate</c> of the fresh file goes through the journal. An existing file is truncated and its mode set.
    /// </remarks>
    public static void WriteJobFile(string jobPath, string text)
    {
        ArgumentNullException.ThrowIfNull(jobPath);
        ArgumentNullException.ThrowIfNull(text);
        var full = Path.GetFullPath(jobPath);
        var bytes = Utf8NoBom.GetBytes(text);
        FileStream stream;
        var created = true;
        try
        {
            stream = Open(full, FileMode.CreateNew);
        }
        catch (DirectoryNotFoundException)
        {
            // The folder is usually there already: create it only when the open says so (one system call fewer a job).
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            stream = Open(full, FileMode.CreateNew);
        }
        catch (IOException) when (File.Exists(full))
        {
            stream = Open(full, FileMode.Create);
            created = false;
        }

        using (stream)
        {
            if (!created && !OperatingSystem.IsWindows())
            {
                // UnixCreateMode only applies to a new file; an old job file keeps its mode unless it is set.
                File.SetUnixFileMode(stream.SafeFileHandle, JobFileMode);
            }

            RandomAccess.Write(stream.SafeFileHandle, bytes, 0);
        }

        if (created && !OperatingSystem.IsWindows() && UmaskHidesOwnerBits)
        {
            File.SetUnixFileMode(full, JobFileMode);
        }
    }

    /// <summary>
    /// True when the process umask clears an owner bit, so a new file would not get 0700 from its open alone (read once
    /// from <c>/proc/self/status</c>; when it cannot be read, assume it may).
    /// </summary>
    private static bool UmaskHidesOwnerBits => LazyUmaskHidesOwnerBits.Value;

    private static FileStream Open(string path, FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = JobFileMode;
        }

        return new FileStream(path, options);
    }
}
