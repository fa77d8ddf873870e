using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Scheduling;

/// <summary>
/// What one scheduling pass found. The caller submits <see cref="Submittable"/> in order (each
/// <see cref="Operations.Submit"/> takes the task's limit tokens), then sleeps until <see cref="NextChange"/> or the
/// next command, whichever comes first.
/// </summary>
/// <param name="Submittable">The tasks that may be submitted now, highest TAKLER_PRIORITY first then in tree order, with the limit tokens they need all available together (retries included).</param>
/// <param name="Retries">The aborted tasks among <see cref="Submittable"/> that are due for their next try.</param>
/// <param name="CompletedByExpression">The nodes this pass completed because their complete expression held (already applied, repeats advanced).</param>
/// <param name="LateFlagged">The tasks this pass flagged late.</param>
/// <param name="NextChange">The earliest future instant at which a time dependency, retry delay or late limit can change the answer; null when none.</param>
/// <param name="Evaluated">How many nodes the pass evaluated (a measure of incremental work).</param>
public sealed record SchedulingPass(
    IReadOnlyList<Task> Submittable,
    IReadOnlyList<Task> Retries,
    IReadOnlyList<Node> CompletedByExpression,
    IReadOnlyList<Task> LateFlagged,
    DateTimeOffset? NextChange,
    int Evaluated);
