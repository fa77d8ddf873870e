using System.Diagnostics;
using System.Threading.Channels;
using Takler.Server.Jobs;

namespace Takler.Server.Benchmarks;

/// <summary>A job runner that runs nothing: it hands each submission, stamped with <see cref="Stopwatch"/> time, to the benchmark.</summary>
internal sealed class BenchJobRunner : IJobRunner
{
    private readonly Channel<Submission> _submitted = Channel.CreateUnbounded<Submission>();

    public Task<JobOutcome> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        _submitted.Writer.TryWrite(new Submission(request, Stopwatch.GetTimestamp()));
        return Task.FromResult(JobOutcome.Ok());
    }

    public Task<JobOutcome> KillAsync(JobRequest request, CancellationToken cancellationToken) => Task.FromResult(JobOutcome.Ok());

    public Task<JobOutcome> StatusAsync(JobRequest request, CancellationToken cancellationToken) => Task.FromResult(JobOutcome.Ok());

    /// <summary>The next submission.</summary>
    public async Task<Submission> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _submitted.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
    }
}

/// <summary>A job handed to the runner, and when (<see cref="Stopwatch.GetTimestamp"/>).</summary>
internal sealed record Submission(JobRequest Request, long Timestamp);
