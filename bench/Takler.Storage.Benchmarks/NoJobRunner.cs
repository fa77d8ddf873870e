using System.Collections.Concurrent;
using Takler.Server.Jobs;

namespace Takler.Storage.Benchmarks;

/// <summary>Runs no job: keeps each submission's password so the benchmark's clients can play the jobs.</summary>
internal sealed class NoJobRunner : IJobRunner
{
    public ConcurrentDictionary<string, string> Passwords { get; } = new(StringComparer.Ordinal);

    public Task<JobOutcome> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        Passwords[request.TaskPath] = request.Password;
        return Task.FromResult(JobOutcome.Ok());
    }

    public Task<JobOutcome> KillAsync(JobRequest request, CancellationToken cancellationToken) => Task.FromResult(JobOutcome.Ok());

    public Task<JobOutcome> StatusAsync(JobRequest request, CancellationToken cancellationToken) => Task.FromResult(JobOutcome.Ok());
}
