using Takler.Core;
using Takler.Core.Nodes;
using Takler.Server.Hosting;
using Takler.Server.Jobs;
using Task = System.Threading.Tasks.Task;
using TaskNode = Takler.Core.Nodes.Task;

namespace Takler.Server.Tests.EndToEnd;

/// <summary>The seed tutorial for real: a server, real bash jobs that call the real takler_client back.</summary>
public sealed class TutorialTests : IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("takler-e2e-").FullName;
    private TaklerServer? _server;

    private TaklerServer Server => _server!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_home, recursive: true);
    }

    private async Task StartAsync(Flow flow)
    {
        var path = Repository.ToolsBin + ":" + Environment.GetEnvironmentVariable("PATH");
        var runner = new LocalJobRunner(new JobRunnerOptions { Environment = new Dictionary<string, string> { ["PATH"] = path } });
        _server = new TaklerServer(new TaklerServerOptions { Port = 0, LoopbackOnly = true, Home = _home, Interval = TimeSpan.FromHours(1) }, runner);
        _server.Bunch.AddFlow(flow);
        await _server.StartAsync();
    }

    private Task<T> Query<T>(Func<Bunch, T> query) => Server.Engine.ExecuteAsync("test query", c => query(c.Bunch));

    private Task Command(Action<Operations> command) => Server.Engine.ExecuteAsync("test command", c =>
    {
        command(c.Operations);
        return true;
    });

    /// <summary>Waits until <paramref name="done"/> holds after some batch, or fails after the timeout.</summary>
    private async Task WaitForAsync(Func<Bunch, bool> done, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var batch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnBatch() => batch.TrySetResult();
            Server.Engine.BatchApplied += OnBatch;
            try
            {
                if (await Query(done))
                {
                    return;
                }

                await batch.Task.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                var tree = await Query(b => Core.Visitors.PrintVisitor.ToText(b));
                throw new TimeoutException($"timed out waiting for {what}; tree:\n{tree}");
            }
            finally
            {
                Server.Engine.BatchApplied -= OnBatch;
            }
        }
    }

    private string Example(string relative) => Path.Combine(Repository.Root, "examples", "getting-started", relative);

    private Flow TutorialFlow()
    {
        var flow = new Flow("test");
        flow.AddParameter("TAKLER_HOME", _home);
        var t1 = flow.AddTask(new ShellScriptTask("t1"));
        t1.AddParameter("TAKLER_SCRIPT", Example("test/task1.takler"));
        t1.AddEvent("ready");
        t1.AddMeter("progress", 0, 3);
        return flow;
    }

    private string Script(string name, string body)
    {
        var path = Path.Combine(_home, "scripts", name + ".takler");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var include = Example("include");
        File.WriteAllText(path, $"{{% include \"{include}/head.takler\" %}}\n{body}\n{{% include \"{include}/tail.takler\" %}}\n");
        return path;
    }

    [Fact]
    public async Task The_tutorial_task_runs_calls_back_and_completes_with_its_event_and_meter()
    {
        await StartAsync(TutorialFlow());
        await Command(o => o.Begin("test"));
        await WaitForAsync(b => b.GetNode("/test/t1").Status is NodeStatus.Complete or NodeStatus.Aborted, TimeSpan.FromSeconds(60), "t1 to finish");

        var (status, ev, meter, reason) = await Query(b =>
        {
            var t1 = (TaskNode)b.GetNode("/test/t1");
            return (t1.Status, t1.FindEvent("ready")!.Value, t1.FindMeter("progress")!.Value, t1.AbortedReason);
        });
        Assert.True(status == NodeStatus.Complete, $"t1 is {status}: {reason}");
        Assert.True(ev);
        Assert.Equal(3, meter);
        var output = File.ReadAllText(Path.Combine(_home, "test", "t1.1"));
        Assert.Contains("task /test/t1, try 1", output, StringComparison.Ordinal);
        Assert.Contains("3 steps", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_home, "test", "t1.job1")));
    }

    [Fact]
    public async Task A_script_that_exits_1_ends_aborted_with_a_reason()
    {
        var flow = new Flow("f");
        flow.AddParameter("TAKLER_HOME", _home);
        flow.AddTask(new ShellScriptTask("bad", Script("bad", "echo about to fail\nfalse\necho never")));
        await StartAsync(flow);
        await Command(o => o.Begin("f"));
        await WaitForAsync(b => b.GetNode("/f/bad").Status == NodeStatus.Aborted, TimeSpan.FromSeconds(60), "bad to abort");
        var reason = await Query(b => ((TaskNode)b.GetNode("/f/bad")).AbortedReason);
        Assert.Contains("command failed", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_killed_task_ends_aborted_with_reason_killed_and_its_process_is_gone()
    {
        var flow = new Flow("f");
        flow.AddParameter("TAKLER_HOME", _home);
        flow.AddTask(new ShellScriptTask("long", Script("long", "echo $$ > {{TAKLER_HOME}}/long.tmp && mv {{TAKLER_HOME}}/long.tmp {{TAKLER_HOME}}/long.pid\nsleep 600")));
        await StartAsync(flow);
        await Command(o => o.Begin("f"));
        await WaitForAsync(b => b.GetNode("/f/long").Status == NodeStatus.Active && File.Exists(Path.Combine(_home, "long.pid")), TimeSpan.FromSeconds(60), "long to be active");
        var pid = int.Parse(File.ReadAllText(Path.Combine(_home, "long.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        var job = await Query(b => Takler.Server.Engine.SchedulerEngine.JobRequestFor((TaskNode)b.GetNode("/f/long")));
        var outcome = await Server.Engine.KillTask(job);
        Assert.True(outcome.Success, outcome.Reason);
        await WaitForAsync(b => b.GetNode("/f/long").Status == NodeStatus.Aborted, TimeSpan.FromSeconds(30), "long to abort");
        Assert.Equal("killed", await Query(b => ((TaskNode)b.GetNode("/f/long")).AbortedReason));
        await WaitForProcessExitAsync(pid, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_task_with_two_tries_runs_again_after_its_first_try_fails()
    {
        var flow = new Flow("f");
        flow.AddParameter("TAKLER_HOME", _home);
        var t = flow.AddTask(new ShellScriptTask("flaky", Script("flaky", "echo try {{TAKLER_TRY_NO}} >> {{TAKLER_HOME}}/tries\n[ {{TAKLER_TRY_NO}} -ge 2 ]")));
        t.AddParameter("TAKLER_TRIES", "2");
        await StartAsync(flow);
        await Command(o => o.Begin("f"));
        await WaitForAsync(b => b.GetNode("/f/flaky").Status == NodeStatus.Complete, TimeSpan.FromSeconds(60), "flaky to complete on its second try");
        Assert.Equal(["try 1", "try 2"], File.ReadAllLines(Path.Combine(_home, "tries")));
        Assert.Equal(2, await Query(b => ((TaskNode)b.GetNode("/f/flaky")).TryNo));
    }

    /// <summary>
    /// Waits for a process that is not our child to end. A pidfd becomes readable when the process terminates,
    /// whether or not its new parent ever reaps it (in a container whose PID 1 does not reap, an orphaned job stays
    /// a zombie, which Process.WaitForExitAsync would wait for forever).
    /// </summary>
    private static async Task WaitForProcessExitAsync(int pid, TimeSpan timeout)
    {
        var fd = (int)PidFd.Open(pid);
        if (fd < 0)
        {
            const int NoSuchProcess = 3; // ESRCH: already gone and reaped
            var error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            Assert.True(error == NoSuchProcess, $"pidfd_open({pid}) failed with errno {error}");
            return;
        }

        try
        {
            var ended = await Task.Factory.StartNew(
                () =>
                {
                    var poll = new PidFd.PollFd { Fd = fd, Events = PidFd.PollIn };
                    return PidFd.Poll(ref poll, 1, (int)timeout.TotalMilliseconds) == 1;
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
            Assert.True(ended, $"process {pid} still runs after {timeout.TotalSeconds} s");
        }
        finally
        {
            PidFd.Close(fd);
        }
    }

    private static class PidFd
    {
        public const short PollIn = 1;
        private const long SysPidfdOpen = 434; // the same number on x86_64 and arm64

        [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
        public struct PollFd
        {
            public int Fd;
            public short Events;
            public short Revents;
        }

        public static long Open(int pid) => Syscall(SysPidfdOpen, pid, 0);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
        private static extern long Syscall(long number, long pid, long flags);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "poll", SetLastError = true)]
        public static extern int Poll(ref PollFd fds, ulong count, int timeoutMs);

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}
