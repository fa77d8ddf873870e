namespace Takler.Client.Retry;

/// <summary>How a command is classified for retries; it selects the retry window (takler-compat §4.5).</summary>
public enum CommandKind
{
    /// <summary>Sent by a running job (init, complete, abort, event, meter, label): a lost update desynchronises the server, so it retries for a day.</summary>
    Child,

    /// <summary>An operator's command (requeue, suspend, run, load, ...): gives up after a minute.</summary>
    Control,

    /// <summary>A query (show, ping, status, ...): gives up after a minute.</summary>
    Query,
}
