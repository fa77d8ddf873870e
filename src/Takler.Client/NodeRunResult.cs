using Takler.Protocol;

namespace Takler.Client;

/// <summary>The result of running or waiting for one node: how it ended, its last status seen and a task's try number.</summary>
/// <param name="NodePath">The node, as asked for.</param>
/// <param name="Outcome">How the wait ended.</param>
/// <param name="Status">The last status seen; <see cref="NodeStatus.Unspecified"/> when none was.</param>
/// <param name="TryNo">A task's try number when last seen; 0 for other nodes or when not seen.</param>
public sealed record NodeRunResult(string NodePath, RunOutcome Outcome, NodeStatus Status, int TryNo);
