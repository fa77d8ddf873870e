namespace Takler.Client;

/// <summary>How the wait for one node ended, like a Gearman job request's state.</summary>
public enum RunOutcome
{
    /// <summary>The server accepted the run; it was not waited for.</summary>
    Accepted,

    /// <summary>The node is complete.</summary>
    Complete,

    /// <summary>The node is aborted.</summary>
    Aborted,

    /// <summary>The node reached another of the statuses waited for.</summary>
    Reached,

    /// <summary>The timeout passed before the node reached a status waited for.</summary>
    TimedOut,

    /// <summary>No server could be reached: what became of the node is not known.</summary>
    Unknown,
}
