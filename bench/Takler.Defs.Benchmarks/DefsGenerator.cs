using System.Globalization;

namespace Takler.Defs.Benchmarks;

/// <summary>
/// Generates a large ecFlow definition: one suite of groups of families of 50 tasks. Each family has an edit
/// variable, a repeat, a limit and an in-limit, and is triggered by its previous sibling; each task has a trigger on
/// its previous sibling (status and event), an event, a meter, a label and an edit variable.
/// </summary>
internal static class DefsGenerator
{
    public const int TasksPerFamily = 50;
    public const int FamiliesPerGroup = 100;

    /// <summary>The definition as text (for small sizes).</summary>
    public static string Generate(int tasks)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Generate(tasks, writer);
        return writer.ToString();
    }

    /// <summary>Writes the definition to <paramref name="text"/>, streaming, so a large one never sits in memory.</summary>
    public static void Generate(int tasks, TextWriter text)
    {
        var families = (tasks + TasksPerFamily - 1) / TasksPerFamily;
        text.Write(Invariant($"# generated: {tasks} tasks in families of {TasksPerFamily}\n"));
        text.Write("suite bench\n");
        text.Write("  edit ECF_HOME '/tmp/bench'\n");
        text.Write("  edit ECF_INCLUDE '/tmp/bench/include'\n");
        text.Write("  limit total 100\n");
        var written = 0;
        for (var family = 0; family < families; family++)
        {
            var inGroup = family % FamiliesPerGroup;
            if (inGroup == 0)
            {
                text.Write(Invariant($"  family g{family / FamiliesPerGroup}\n"));
                text.Write("    inlimit total\n");
            }

            text.Write(Invariant($"    family f{inGroup}\n"));
            if (inGroup > 0)
            {
                text.Write(Invariant($"      trigger f{inGroup - 1} == complete\n"));
            }

            text.Write("      repeat integer RUN 1 10\n");
            text.Write(Invariant($"      edit FAMILY_ID '{family}'\n"));
            text.Write("      limit slots 5\n");
            text.Write("      inlimit slots\n");
            for (var task = 0; task < TasksPerFamily && written < tasks; task++, written++)
            {
                text.Write(Invariant($"      task t{task}\n"));
                if (task > 0)
                {
                    text.Write(Invariant($"        trigger t{task - 1} == complete or t{task - 1}:done\n"));
                }

                text.Write(Invariant($"        edit STEP '{task}'\n"));
                text.Write("        label info ''\n");
                text.Write("        meter progress 0 100\n");
                text.Write("        event done\n");
            }

            text.Write("    endfamily\n");
            if (inGroup == FamiliesPerGroup - 1 || family == families - 1)
            {
                text.Write("  endfamily\n");
            }
        }

        text.Write("endsuite\n");
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
