namespace Takler.Core.Definitions.TaklerJson;

/// <summary>How Takler reads node JSON (README §2.6).</summary>
public enum TaklerJsonReadMode
{
    /// <summary>
    /// The definition only, as <c>RunCommandLoad</c> reads it: statuses unknown, values at their initial state,
    /// <c>state</c> may be absent. A task's <c>task_id</c>, <c>aborted_reason</c> and <c>try_no</c> are still copied.
    /// </summary>
    Tree,

    /// <summary>Everything as written, run-time state included, as a checkpoint restore and the client's show read it.</summary>
    Status,
}
