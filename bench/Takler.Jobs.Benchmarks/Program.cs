// Job generation and local submission throughput (issue 7). Stopwatch timings, printed as a Markdown table.
//   dotnet run -c Release --project bench/Takler.Jobs.Benchmarks [-- --quick]
// Generation: a script with 2 includes and 20 variables -> job file, for 1,000 and 10,000 jobs, on one thread and on
// all cores. Submission: 1,000 local no-op jobs through LocalJobRunner: time until every submit returned, and until
// every job has run (each touches a file).
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Takler.Server.Jobs;

var quick = args.Contains("--quick");
int[] generationSizes = quick ? [1_000] : [1_000, 10_000];
var submissions = quick ? 200 : 1_000;

var root = Directory.CreateTempSubdirectory("takler-jobs-bench-").FullName;
try
{
    var c = CultureInfo.InvariantCulture;
    Console.WriteLine($"| benchmark | jobs | time (s) | jobs/s | CPU of this process (s) |");
    Console.WriteLine($"| --- | ---: | ---: | ---: | ---: |");
    var include = Path.Combine(root, "include");
    Directory.CreateDirectory(include);
    File.WriteAllText(Path.Combine(include, "head.takler"), Head);
    File.WriteAllText(Path.Combine(include, "tail.takler"), Tail);

    // Warm up until the JIT has compiled the hot paths at full optimisation, as in a server that has run for a while.
    Generate(root, include, "warmup", 2_000, parallel: false);
    foreach (var size in generationSizes)
    {
        var (floor, floorCpu) = WriteFiles(root, $"floor{size}", size);
        Console.WriteLine(string.Create(c, $"| baseline: write {size:N0} new ~2 KB files, no pre-processing | {size:N0} | {floor:0.000} | {size / floor:N0} | {floorCpu:0.000} |"));
        foreach (var parallel in (bool[])[false, true])
        {
            var (seconds, cpu) = Generate(root, include, $"gen{size}{(parallel ? "p" : "s")}", size, parallel);
            var how = parallel ? $"{Environment.ProcessorCount} threads" : "1 thread";
            Console.WriteLine(string.Create(c, $"| generation ({how}) | {size:N0} | {seconds:0.000} | {size / seconds:N0} | {cpu:0.000} |"));
        }
    }

    var spawn = await SpawnAsync(submissions);
    Console.WriteLine(string.Create(c, $"| baseline: {submissions:N0} × `/bin/sh -c true`, 32 at a time | {submissions:N0} | {spawn:0.000} | {submissions / spawn:N0} | |"));
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var (submitted, ran) = await SubmitAsync(root, include, submissions);
    var submitCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    Console.WriteLine(string.Create(c, $"| local submission: all submitted | {submissions:N0} | {submitted:0.000} | {submissions / submitted:N0} | {submitCpu:0.000} |"));
    Console.WriteLine(string.Create(c, $"| local submission: all run | {submissions:N0} | {ran:0.000} | {submissions / ran:N0} | |"));
}
finally
{
    Directory.Delete(root, recursive: true);
}

// Writes `count` distinct scripts (each including head and tail, using 20 variables), then times generating their jobs.
static (double Seconds, double Cpu) Generate(string root, string include, string name, int count, bool parallel)
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
    else
    {
        foreach (var (path, variables) in requests)
        {
            Check(generator.Generate(path, variables));
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
