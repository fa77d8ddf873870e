using System.Diagnostics;
using System.Globalization;
using Takler.Client;
using Takler.Defs.Benchmarks;

// The .NET side of bench/run.sh (issue 9). Prints key=value lines for the script.
//   def --tasks N --out FILE                 the generated definition (DefsGenerator), suspended, for both servers
//   children --port P --creds DIR --clients N --warmup S --seconds S
//                                            child commands/s through TaklerServiceClient, one client per job
//   tree --port P --runs N                   full tree download: the structured tree query and Takler-JSON show
var culture = CultureInfo.InvariantCulture;
return args.FirstOrDefault() switch
{
    "def" => WriteDefinition(int.Parse(Option("--tasks"), culture), Option("--out")),
    "children" => await ChildCommandsAsync(
        int.Parse(Option("--port"), culture),
        Option("--creds"),
        int.Parse(Option("--clients"), culture),
        TimeSpan.FromSeconds(double.Parse(Option("--warmup"), culture)),
        TimeSpan.FromSeconds(double.Parse(Option("--seconds"), culture))),
    "tree" => await TreeAsync(int.Parse(Option("--port"), culture), int.Parse(Option("--runs"), culture)),
    _ => Usage(),
};

string Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : throw new ArgumentException($"missing {name}");
}

static int Usage()
{
    Console.Error.WriteLine("usage: Takler.EndToEnd.Benchmarks def|children|tree ... (see bench/run.sh)");
    return 2;
}

// The definitions benchmark's suite, made runnable by both servers side by side: its ECF_HOME/ECF_INCLUDE edits
// point at one fixed folder, so they go (each server's own home applies), and the suite is suspended by default so
// `begin` queues 100k tasks without submitting any job.
static int WriteDefinition(int tasks, string path)
{
    var text = DefsGenerator.Generate(tasks);
    using var output = new StreamWriter(path);
    // The text ends with a newline: the last element of the split is empty.
    var lines = text.Split('\n');
    foreach (var line in lines.AsSpan(0, lines.Length - 1))
    {
        if (line.StartsWith("  edit ECF_HOME ", StringComparison.Ordinal) || line.StartsWith("  edit ECF_INCLUDE ", StringComparison.Ordinal))
        {
            continue;
        }

        output.Write(line + "\n");
        if (line == "suite bench")
        {
            output.Write("  defstatus suspended\n");
        }
    }

    return 0;
}

// One TaklerServiceClient (its own connection) per job, the job's credentials from the file its job command wrote:
// `init`, then `meter` as fast as the server answers, every client started together.
static async Task<int> ChildCommandsAsync(int port, string credentials, int clients, TimeSpan warmup, TimeSpan duration)
{
    var jobs = new List<(TaklerServiceClient Client, string Path)>();
    for (var i = 0; i < clients; i++)
    {
        var words = (await File.ReadAllTextAsync(Path.Combine(credentials, $"t{i}.pass")).ConfigureAwait(false)).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var client = new TaklerServiceClient("localhost", port) { Job = new JobIdentity(words[1], int.Parse(words[2], CultureInfo.InvariantCulture)) };
        await client.InitAsync(words[0], "4242").ConfigureAwait(false);
        jobs.Add((client, words[0]));
    }

    var start = Stopwatch.GetTimestamp();
    var from = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
    var until = from + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var counts = await Task.WhenAll(jobs.Select(job => Task.Run(async () =>
    {
        long calls = 0;
        var value = 0;
        while (true)
        {
            var before = Stopwatch.GetTimestamp();
            if (before >= until)
            {
                return calls;
            }

            value = (value + 1) % 1_000_000;
            await job.Client.MeterAsync(job.Path, "m", value).ConfigureAwait(false);
            if (before >= from && Stopwatch.GetTimestamp() <= until)
            {
                calls++;
            }
        }
    }))).ConfigureAwait(false);
    foreach (var job in jobs)
    {
        job.Client.Dispose();
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"per_second={counts.Sum() / duration.TotalSeconds:0}"));
    return 0;
}

// A warm client (one call of each first, not measured), then the median of N downloads of the whole tree.
static async Task<int> TreeAsync(int port, int runs)
{
    using var client = new TaklerServiceClient("localhost", port);
    var nodes = (await client.TreeAsync().ConfigureAwait(false)).Count;
    var bytes = (await client.ShowAsync().ConfigureAwait(false)).Length;
    var tree = new List<double>();
    var show = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var start = Stopwatch.GetTimestamp();
        nodes = (await client.TreeAsync().ConfigureAwait(false)).Count;
        tree.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        start = Stopwatch.GetTimestamp();
        bytes = (await client.ShowAsync().ConfigureAwait(false)).Length;
        show.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tree_ms={Median(tree):0.0} tree_nodes={nodes} show_ms={Median(show):0.0} show_bytes={bytes}"));
    return 0;
}

static double Median(List<double> values)
{
    values.Sort();
    return values[values.Count / 2];
}
