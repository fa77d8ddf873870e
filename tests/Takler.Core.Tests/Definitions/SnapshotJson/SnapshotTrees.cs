using Takler.Core.Attributes;
using Takler.Core.Nodes;
using Task = Takler.Core.Nodes.Task;

namespace Takler.Core.Tests.Definitions.SnapshotJson;

/// <summary>Trees for the snapshot tests: one with every attribute and every kind of run-time state, and a large one.</summary>
internal static class SnapshotTrees
{
    public static readonly DateTimeOffset Now = new(2024, 3, 1, 6, 30, 15, TimeSpan.Zero);

    /// <summary>Every node kind, every attribute, and state driven by real operations plus latches set by hand.</summary>
    public static Bunch Everything()
    {
        var bunch = new Bunch("server.example", 4141, "/var/takler");
        bunch.AddServerParameter("SITE", "ecmwf");
        bunch.AddServerParameter(Parameter.Integer("WORKERS", 8));

        var flow = bunch.AddFlow(new Flow("main"));
        flow.Clock = new ClockAttribute(Hybrid: true, StartDate: new DateOnly(2024, 1, 2), Gain: TimeSpan.FromHours(1), GainGiven: true);
        flow.EndClock = new ClockAttribute(StartDate: new DateOnly(2024, 12, 31));
        flow.AddParameter("TEXT", "é \"quoted\" <x> & \\ \n");
        flow.AddParameter("COUNT", 4L);
        flow.AddParameter(Parameter.Float("RATIO", "0.5"));
        flow.AddParameter("DEBUG", true);
        flow.AddParameter(Parameter.Null("NOTHING"));
        flow.AddLimit("total", 3);
        flow.AddLimit("fams", 2);
        flow.AddRepeat(new RepeatDate("YMD", 20240101, 20240131, 2));
        flow.AddKeptAttribute(new KeptAttribute("autocancel", "+01:00"));

        var fam = flow.AddFamily("fam");
        fam.DefaultStatus = DefaultStatus.Complete;
        fam.Late = new LateAttribute(TimeSpan.FromMinutes(15), new TimeSpan(20, 0, 0), TimeSpan.FromHours(2), completeRelative: true);
        fam.AddInLimit("total");
        fam.AddInLimit(new InLimit("fams", "/main", 1, limitFamilies: true));
        fam.AddRepeat(new RepeatInteger("N", 10, 0, -2));
        fam.AddTrigger("../other == complete").AddTrigger("../other:ready", ExpressionJoin.Or).AddTrigger("1 == 1", ExpressionJoin.And);
        fam.AddComplete("../other == aborted");
        fam.AddTime(new TimeAttribute(new TimeSeries(new TimeSpan(10, 0, 0), new TimeSpan(20, 0, 0), TimeSpan.FromMinutes(30))));
        fam.AddTime(new TimeAttribute(new TimeSeries(TimeSpan.FromMinutes(90), relative: true)));
        fam.AddTime(new TimeAttribute(new TimeSeries(new TimeSpan(23, 59, 0)), isToday: true));
        fam.AddDate(new DateAttribute(0, 3, 2024));
        fam.AddDay(DayAttribute.Parse("friday"));
        fam.AddCron(new CronAttribute(new TimeSeries(new TimeSpan(1, 0, 0), new TimeSpan(5, 0, 0), TimeSpan.FromHours(1)), [1, 5], [1, 15], lastDayOfMonth: true, [3, 6]));
        fam.AddCron(new CronAttribute(new TimeSeries(new TimeSpan(22, 0, 0)), lastWeekDays: [5]));

        var run = fam.AddTask(new ShellScriptTask("run", "/scripts/run.takler"));
        run.AddEvent("ready").AddEvent(new Event("ready2", initialValue: true)).AddEvent(new Event(string.Empty, number: 7)).AddEvent(new Event("both", number: 8));
        run.AddMeter(new Meter("step", 0, 240, threshold: 120));
        run.AddLabel("info", "none yet");
        run.AddInLimit(new InLimit("total", tokens: 2, submissionOnly: false));
        run.AddRepeat(new RepeatString("S", ["a", "b", "c"]));

        var post = fam.AddTask("post");
        post.AddInLimit(new InLimit("total", "..", 1, submissionOnly: true));
        post.AddRepeat(new RepeatEnumerated("E", ["1", "x", "3"]));
        post.AddLabel("msg");

        var other = flow.AddFamily("other");
        other.AddEvent("ready");
        other.AddRepeat(new RepeatDateList("DL", [20240105, 20240110]));
        var shell = other.AddTask(new ShellScriptTask("noscript"));
        shell.AddRepeat(new RepeatDateTime("DT", new DateTime(2024, 1, 1), new DateTime(2024, 1, 2), TimeSpan.FromHours(6)));
        var daily = other.AddTask("daily");
        daily.AddRepeat(new RepeatDay(2));
        other.AddFamily("empty");

        var idle = bunch.AddFlow(new Flow("idle"));
        idle.AddTask("waiting").AddParameter("X", "y");

        var ops = new Operations(bunch, new FixedTime(Now));
        ops.Begin("main");
        flow.Calendar.Update(Now.UtcDateTime.AddMinutes(10).AddTicks(1234567), Now.UtcDateTime.AddMinutes(10).AddTicks(1234567));
        ops.Submit(run, "pass-1");
        ops.Init(run.Path, "job.42");
        ops.SetEvent(run.Path, "ready");
        ops.SetEvent(run.Path, "7");
        ops.SetMeter(run.Path, "step", 96);
        ops.SetLabel(run.Path, "info", "half way\nthere");
        ops.Submit(post, "pass-2");
        ops.Submit(shell, "pass-3");
        ops.Abort(shell.Path, "exit 137");
        ops.Suspend([daily.Path]);
        ops.FreeDep(FreeDepKind.All, [fam.Path]);

        // Latches and positions the scheduler would set.
        fam.IsLate = true;
        fam.Complete!.Free = true;
        fam.Times[0].NextSlot = 3;
        fam.Times[0].LastFired = new DateTime(2024, 3, 1, 11, 0, 0);
        fam.Crons[0].NextSlot = 2;
        fam.Crons[0].LastFired = new DateTime(2024, 3, 1, 2, 0, 0, DateTimeKind.Utc);
        fam.Times[1].Since = new DateTime(2024, 3, 1, 9, 30, 0);
        fam.Times[1].MissedSlots = 2;
        fam.Crons[0].Since = new DateTime(2024, 3, 1, 3, 0, 0);
        fam.Crons[0].MissedSlots = 1;
        flow.Repeat!.SetPosition(3);
        fam.Repeat!.SetPosition(5, exhausted: true);
        run.Repeat!.SetPosition(1);
        post.Repeat!.SetPosition(2);
        other.Repeat!.SetPosition(1);
        shell.Repeat!.SetPosition(4, exhausted: true);
        daily.Repeat!.SetPosition(1000);
        ops.AbortByOperator(run, "killed by operator");
        ops.Submit(run, "pass-4");
        return bunch;
    }

    /// <summary>A flow of <paramref name="families"/> families of <paramref name="tasksPerFamily"/> tasks, some with events and meters.</summary>
    public static Bunch Large(int families, int tasksPerFamily)
    {
        var bunch = new Bunch();
        var flow = bunch.AddFlow(new Flow("big"));
        flow.AddParameter("TAKLER_HOME", "/data/big");
        for (var f = 0; f < families; f++)
        {
            var fam = flow.AddFamily("f" + f);
            for (var t = 0; t < tasksPerFamily; t++)
            {
                var task = fam.AddTask("t" + t);
                if (t > 0)
                {
                    task.AddTrigger("./t" + (t - 1) + " == complete");
                }

                if (t % 10 == 0)
                {
                    task.AddEvent("e").AddMeter("m", 0, 100);
                }
            }
        }

        new Operations(bunch, new FixedTime(Now)).Begin("big");
        return bunch;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
