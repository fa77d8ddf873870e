using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Takler.Core.Scheduling;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Scheduling;

public class IncrementalPassTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 20)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Incremental_pass_agrees_with_a_full_pass_under_random_operations(int seed)
    {
        var random = new Random(seed);
        var h = new SchedulingHarness("2024-01-08 08:00");
        var flow = h.AddFlow();
        flow.AddLimit("lim", 2);
        flow.AddParameter("TAKLER_TRIES", 2);
        var tasks = new List<Task>();
        for (var f = 0; f < 4; f++)
        {
            var fam = flow.AddFamily($"fam{f}");
            if (random.Next(3) == 0)
            {
                fam.AddRepeat(new RepeatInteger("N", 1, 2));
            }

            if (random.Next(4) == 0)
            {
                fam.AddTime($"{8 + random.Next(3):D2}:{random.Next(4) * 15:D2}");
            }

            if (random.Next(4) == 0)
            {
                fam.AddDay(DayAttribute.Parse(random.Next(2) == 0 ? "monday" : "tuesday"));
            }

            if (f > 0 && random.Next(3) == 0)
            {
                fam.AddTrigger($"/f/fam{random.Next(f)} == complete");
            }

            for (var i = 0; i < 6; i++)
            {
                var t = fam.AddTask($"t{i}");
                tasks.Add(t);
                if (tasks.Count > 1 && random.Next(2) == 0)
                {
                    var other = tasks[random.Next(tasks.Count - 1)];
                    t.AddTrigger($"{other.Path} == {(random.Next(5) == 0 ? "aborted" : "complete")}");
                }

                switch (random.Next(8))
                {
                    case 0: t.AddTime("08:30 12:00 00:45"); break;
                    case 1: t.AddCron(new CronAttribute(TimeSeries.Parse(["09:00"]))); break;
                    case 2: t.AddTime("+00:20"); break;
                    case 3: t.AddComplete($"{tasks[random.Next(tasks.Count)].Path} == complete"); break;
                    default: break;
                }

                if (random.Next(3) == 0)
                {
                    t.AddInLimit("lim");
                }

                if (random.Next(5) == 0)
                {
                    t.Late = new LateAttribute(TimeSpan.FromMinutes(10), null, TimeSpan.FromMinutes(30), true);
                }
            }
        }

        h.Begin();
        var shadow = new Scheduler(h.Bunch, h.Evaluator, h.Clock);
        var running = new List<Task>();
        var starts = 0;
        for (var step = 0; step < 400; step++)
        {
            var pass = h.Pass();
            for (var again = 0; again < 5 && pass.NextChange == h.Now; again++)
            {
                // The pass asked to run again at once (a complete expression cycled a repeat): an engine would.
                pass = h.Pass();
            }

            var full = shadow.FullPass(h.Now);
            Assert.Equal(full.Submittable.Select(t => t.Path), pass.Submittable.Select(t => t.Path));
            Assert.Equal(full.NextChange, pass.NextChange);

            switch (random.Next(10))
            {
                case 0 or 1 or 2:
                    foreach (var t in pass.Submittable.Where(_ => random.Next(3) > 0))
                    {
                        h.Start(t);
                        running.Add(t);
                        starts++;
                    }

                    break;
                case 3 or 4 when running.Count > 0:
                    var done = running[random.Next(running.Count)];
                    running.Remove(done);
                    if (done.Status is NodeStatus.Active)
                    {
                        if (random.Next(4) == 0)
                        {
                            h.Abort(done);
                        }
                        else
                        {
                            h.Complete(done);
                        }
                    }

                    break;
                case 5:
                    h.Clock.Advance(TimeSpan.FromMinutes(random.Next(1, 90)));
                    break;
                case 6 when pass.NextChange is { } next:
                    h.Clock.Set(next);
                    break;
                case 7:
                    var node = random.Next(3) == 0 ? (Node)flow.Children[random.Next(flow.Children.Count)] : tasks[random.Next(tasks.Count)];
                    switch (random.Next(5))
                    {
                        case 0: h.Ops.Requeue([node.Path]); break;
                        case 1: h.Ops.Suspend([node.Path]); break;
                        case 2: h.Ops.Resume([node.Path]); break;
                        case 3: h.Ops.Force(ForceTarget.To(NodeStatus.Complete), random.Next(2) == 0, [node.Path]); break;
                        default: h.Ops.FreeDep(FreeDepKind.All, [node.Path]); break;
                    }

                    running.RemoveAll(t => t.Status is not (NodeStatus.Active or NodeStatus.Submitted));
                    break;
                default:
                    break;
            }

            Assert.Equal(
                flow.SelfAndDescendants().OfType<Task>().Where(t => t.InLimits.Count > 0 && t.Status is NodeStatus.Submitted or NodeStatus.Active).Count(),
                flow.FindLimit("lim")!.Value);
        }

        Assert.InRange(starts, 1, int.MaxValue);
    }
}
