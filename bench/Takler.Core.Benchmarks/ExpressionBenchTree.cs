using System.Globalization;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Benchmarks;

/// <summary>
/// The expressions benchmark's tree: one flow of families of 50 tasks; each task but the first of its family is
/// triggered by its previous sibling (`t4 == complete`); every tenth task has an event and a meter, and its next
/// sibling's trigger also reads them (`t10 == complete and (t10:ev == set or t10:m > 5)`).
/// </summary>
internal static class ExpressionBenchTree
{
    public const int FamilySize = 50;

    public static Bunch Build(int taskCount, out List<Task> tasks)
    {
        var bunch = new Bunch();
        var flow = new Flow("bench");
        tasks = new List<Task>(taskCount);
        var c = CultureInfo.InvariantCulture;
        for (var f = 0; tasks.Count < taskCount; f++)
        {
            var family = flow.AddFamily("f" + f.ToString("D4", c));
            for (var i = 0; i < FamilySize && tasks.Count < taskCount; i++)
            {
                var task = family.AddTask("t" + i.ToString(c));
                if (i % 10 == 0)
                {
                    task.AddEvent("ev").AddMeter("m", 0, 100);
                }

                if (i > 0)
                {
                    var prev = "t" + (i - 1).ToString(c);
                    task.AddTrigger((i - 1) % 10 == 0
                        ? $"{prev} == complete and ({prev}:ev == set or {prev}:m > 5)"
                        : $"{prev} == complete");
                }

                tasks.Add(task);
            }
        }

        bunch.AddFlow(flow);
        return bunch;
    }

    /// <summary>Every task complete, so each trigger is read to its end (events clear, meters at 0).</summary>
    public static void CompleteAll(List<Task> tasks)
    {
        foreach (var task in tasks)
        {
            task.SetStatus(NodeStatus.Complete, propagate: false);
        }
    }

    /// <summary>Forgets every parse and binding, as after a fresh load.</summary>
    public static void ClearCaches(List<Task> tasks)
    {
        foreach (var task in tasks)
        {
            task.Trigger?.ClearCaches();
        }
    }
}
