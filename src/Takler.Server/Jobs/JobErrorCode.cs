namespace Takler.Server.Jobs;

/// <summary>Why a job could not be generated, submitted, killed or queried.</summary>
public enum JobErrorCode
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>No script was found at any of the locations tried.</summary>
    NoScript,

    /// <summary>Pre-processing failed: an undefined variable, a missing include, an include cycle, a bad directive.</summary>
    PreprocessFailed,

    /// <summary>TAKLER_JOB is not defined, so there is nowhere to write the job.</summary>
    NoJobPath,

    /// <summary>The script or the job file could not be read or written.</summary>
    FileError,

    /// <summary>TAKLER_SUBMITTER names no known submitter.</summary>
    UnknownSubmitter,

    /// <summary>A command template refers to an undefined variable.</summary>
    CommandTemplateFailed,

    /// <summary>The command could not start, or exited with a status other than 0.</summary>
    CommandFailed,

    /// <summary>The command did not finish within <see cref="JobRunnerOptions.CommandTimeout"/>.</summary>
    CommandTimedOut,

    /// <summary>Kill or status was asked for a job without a remote id.</summary>
    NoRid,
}
