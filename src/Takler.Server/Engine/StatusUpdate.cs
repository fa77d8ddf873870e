using Takler.Core;
using Takler.Core.Nodes;

namespace Takler.Server.Engine;

/// <summary>
/// One event of a <see cref="StatusWatch"/>: a watched node's status (and a task's try number), whether it is one of
/// the wanted statuses; or, with <see cref="Error"/>, why the watch cannot go on (a node was deleted).
/// </summary>
internal sealed record StatusUpdate(string NodePath, NodeStatus Status, int TryNo, bool Reached, TaklerException? Error = null);
