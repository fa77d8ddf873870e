// Job generation and local submission throughput (issue 7). Stopwatch timings, printed as a Markdown table.
//   dotnet run -c Release --project bench/Takler.Jobs.Benchmarks [-- --quick] [--dir /dev/shm] [--generation-only] [--runs N]
// Generation: a script with 2 includes and 20 variables -> job file, for 1,000 and 10,000 jobs, on one thread and on
// all cores. Submission: 1,000 local no-op jobs through LocalJobRunner: time until every submit returned, and until
// every job has run (each touches a file).
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Takler.Server.Jobs;

var quick = args.Contains("--quick");
int[] generationSizes = quick ? [1_000] : [1_000, 10_000];
var submissions = args.Contains("--generation-only") ? 0 : quick ? 200 : 1_000;

// The machine may be shared: each generation figure is the best of `repetitions` runs in fresh folders (the median
// is shown too), beside a baseline that writes the same number of files with no pre-processing at all.
// --runs N overrides it.
var runsIndex = Array.IndexOf(args, "--runs");
var repetitions = runsIndex >= 0 && runsIndex + 1 < args.Length ? int.Parse(args[runsIndex + 1], CultureInfo.InvariantCulture) : quick ? 1 : 3;

// --dir PATH: where scripts and job files go (default: the temp folder), e.g. /dev/shm to leave the disk out.
var dirIndex = Array.IndexOf(args, "--dir");
var parent = dirIndex >= 0 && dirIndex + 1 < args.Length ? args[dirIndex + 1] : Path.GetTempPath();
var root = Path.Combine(parent, $"takler-jobs-bench-{Environment.ProcessId}");
Directory.CreateDirectory(root);
Console.WriteLine($"files under {parent}");
Console.WriteLine();
try
{
    Console.WriteLine("| benchmark | jobs | best time (s) | best jobs/s | median jobs/s | CPU s (best run) |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
    var include = Path.Combine(root, "include");
    Directory.CreateDirectory(include);
    File.WriteAllText(Path.Combine(include, "head.takler"), Head);
    File.WriteAllText(Path.Combine(include, "tail.takler"), Tail);

    // Warm up until the JIT has compiled the hot paths at full optimisation, as in a server that has run for a while.
    Generate(root, include, "warmup", 2_000, parallel: false);
    var run = 0;
    foreach (var size in generationSizes)
    {
        Report($"baseline: write {size:N0} new 2 KB files, no pre-processing", size, () => WriteFiles(root, $"floor{run++}", size));
        Report("locate + pre-process, no job file (1 thread)", size, () => Generate(root, include, $"pre{run++}", size, parallel: false, write: false));
        Report("generation: locate + pre-process + write job file (1 thread)", size, () => Generate(root, include, $"gen{run++}", size, parallel: false));
        Report($"generation ({Environment.ProcessorCount} threads)", size, () => Generate(root, include, $"gen{run++}", size, parallel: true));
    }

    if (submissions == 0)
    {
        return;
    }

    var spawn = await SpawnAsync(submissions);
    Row($"baseline: `/bin/sh -c true` from .NET, 32 at a time", submissions, spawn, submissions / spawn, null);
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var (submitted, ran) = await SubmitAsync(root, include, submissions);
    var submitCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    Row("local submission (no-op jobs): all submitted", submissions, submitted, submissions / submitted, submitCpu);
    Row("local submission (no-op jobs): all have run", submissions, ran, submissions / ran, null);
}
finally
{
    Directory.Delete(root, recursive: true);
}

void Report(string name, int jobs, Func<(double Seconds, double Cpu)> measure)
{
    var runs = Enumerable.Range(0, repetitions).Select(_ => measure()).OrderBy(r => r.Seconds).ToList();
    var best = runs[0];
    Row(name, jobs, best.Seconds, jobs / runs[runs.Count / 2].Seconds, best.Cpu);
}

static void Row(string name, int jobs, double seconds, double median, double? cpu) =>
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {name} | {jobs:N0} | {seconds:0.000} | {jobs / seconds:N0} | {median:N0} | {(cpu is { } c ? c.ToString("0.000", CultureInfo.InvariantCulture) : string.Empty)} |"));

// Writes `count` distinct scripts (each including head and tail, using 20 variables), then times generating their jobs.
static (double Seconds, double Cpu) Generate(string root, string include, string name, int count, bool parallel, bool write = true)
{
    var home = Path.Combine(root, name);
    var requests = new List<(string Path, JobVariables Variables)>(count);
    for (var i = 0; i < count; i++)
    {
        var path = $"/flow/f{i / 100}/t{i}";
        var script = $"{home}{path}.takler";
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.WriteAllText(script, Body);
        requests.Add((path, new JobVariables(Variables(home, path, include))));
    }

    var generator = new JobGenerator();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    if (parallel)
    {
        Parallel.ForEach(requests, r => Check(generator.Generate(r.Path, r.Variables)));
    }
    else if (write)
    {
        foreach (var (path, variables) in requests)
        {
            Check(generator.Generate(path, variables));
        }
    }
    else
    {
        foreach (var (path, variables) in requests)
        {
            var result = generator.Preprocess(ScriptLocator.Locate(path, variables), variables);
            if (!result.Success)
            {
                throw new InvalidOperationException(result.Reason);
            }
        }
    }

    return (watch.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
}

// The file system's share: the same number of new files of the same size in the same layout, written directly.
static (double Seconds, double Cpu) WriteFiles(string root, string name, int count)
{
    var bytes = new byte[2048];
    Array.Fill(bytes, (byte)'x');
    for (var i = 0; i < count; i += 100)
    {
        Directory.CreateDirectory(Path.Combine(root, name, "flow", $"f{i / 100}"));
    }

    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        File.WriteAllBytes(Path.Combine(root, name, "flow", $"f{i / 100}", $"t{i}.job1"), bytes);
    }

    return (watch.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
}

// The process-creation share: `/bin/sh -c true`, 32 at a time.
static async Task<double> SpawnAsync(int count)
{
    using var gate = new SemaphoreSlim(32);
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
    {
        await gate.WaitAsync();
        try
        {
            using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "true"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            await process.WaitForExitAsync();
        }
        finally
        {
            gate.Release();
        }
    }));
    return watch.Elapsed.TotalSeconds;
}

static async Task<(double Submitted, double Ran)> SubmitAsync(string root, string include, int count)
{
    var home = Path.Combine(root, "submit");
    var done = Path.Combine(root, "done");
    Directory.CreateDirectory(done);
    var script = Path.Combine(home, "noop.takler");
    Directory.CreateDirectory(home);
    File.WriteAllText(script, $"#!/bin/sh\n: > {done}/{{{{ TASK }}}}\n");
    using var runner = new LocalJobRunner();
    var requests = Enumerable.Range(0, count).Select(i =>
    {
        var path = $"/flow/t{i}";
        var variables = Variables(home, path, include);
        variables["TAKLER_SCRIPT"] = script;
        return new JobRequest(path, 1, "pass", variables);
    }).ToList();

    var watch = Stopwatch.StartNew();
    var outcomes = await Task.WhenAll(requests.Select(r => runner.SubmitAsync(r, CancellationToken.None)));
    var submitted = watch.Elapsed.TotalSeconds;
    if (outcomes.FirstOrDefault(o => !o.Success) is { } failed)
    {
        throw new InvalidOperationException(failed.Reason);
    }

    while (Directory.GetFiles(done).Length < count)
    {
        if (watch.Elapsed > TimeSpan.FromMinutes(5))
        {
            throw new TimeoutException($"only {Directory.GetFiles(done).Length} of {count} jobs ran");
        }

        await Task.Delay(5);
    }

    return (submitted, watch.Elapsed.TotalSeconds);
}

static Dictionary<string, string> Variables(string home, string path, string include)
{
    var variables = new Dictionary<string, string>
    {
        ["TAKLER_HOME"] = home,
        ["TAKLER_INCLUDE"] = include,
        ["TAKLER_HOST"] = "localhost",
        ["TAKLER_PORT"] = "33083",
        ["TAKLER_NAME"] = path,
        ["TAKLER_PASS"] = "pass",
        ["TAKLER_TRY_NO"] = "1",
        ["TAKLER_JOB"] = $"{home}{path}.job1",
        ["TAKLER_JOBOUT"] = $"{home}{path}.1",
        ["TASK"] = path[(path.LastIndexOf('/') + 1)..],
    };
    for (var v = 1; v <= 20; v++)
    {
        variables[$"VAR{v:00}"] = $"value-{v}-{path}";
    }

    return variables;
}

static void Check(JobGeneration generation)
{
    if (!generation.Success)
    {
        throw new InvalidOperationException(generation.Reason);
    }
}

public static partial class Program
{
    private const string Head = """
        #!/bin/bash
        set -e
        set -o pipefail
        export TAKLER_HOST="{{ TAKLER_HOST }}"
        export TAKLER_PORT="{{ TAKLER_PORT }}"
        export TAKLER_NAME="{{ TAKLER_NAME }}"
        export TAKLER_PASS="{{ TAKLER_PASS }}"
        export TAKLER_TRY_NO="{{ TAKLER_TRY_NO }}"
        takler_abort() { trap - ERR EXIT TERM INT HUP; takler_client abort --reason "$1" || true; exit 1; }
        trap 'takler_abort "command failed at line $LINENO"' ERR
        trap 'takler_abort "the job ended before takler_client complete"' EXIT
        trap 'takler_abort "killed by signal TERM"' TERM
        takler_client init "${TAKLER_RID:-$$}"

        """;

    private const string Tail = """
        takler_client complete
        trap - ERR EXIT TERM INT HUP
        exit 0

        """;

    private static readonly string Body = BuildBody();

    private static string BuildBody()
    {
        var body = new StringBuilder("{% include \"head.takler\" %}\n# task {{ TASK }}\narr=(a b c)\necho \"${#arr[@]}\"\n");
        for (var v = 1; v <= 20; v++)
        {
            body.Append(CultureInfo.InvariantCulture, $"echo \"VAR{v:00}={{{{ VAR{v:00} }}}}\"\n");
        }

        return body.Append("{% include \"tail.takler\" %}\n").ToString();
    }
}
