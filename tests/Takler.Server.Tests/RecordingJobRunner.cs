using System.Threading.Channels;
using Takler.Server.Jobs;

namespace Takler.Server.Tests;

/// <summary>A job runner that runs nothing: it records each submission so a test can play the job's part.</summary>
internal sealed class RecordingJobRunner : IJobRunner
{
    private readonly Channel<JobRequest> _submitted = Channel.CreateUnbounded<JobRequest>();

    public List<JobRequest> Killed { get; } = [];

    public Task<JobOutcome> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        _submitted.Writer.TryWrite(request);
        return Task.FromResult(JobOutcome.Ok());
    }

    public Task<JobOutcome> KillAsync(JobRequest request, CancellationToken cancellationToken)
    {
        lock (Killed)
        {
            Killed.Add(request);
        }

        return Task.FromResult(JobOutcome.Ok());
    }

    public Task<JobOutcome> StatusAsync(JobRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(JobOutcome.Ok(output: $"{request.TaskPath} running"));

    /// <summary>Waits for the next submission, failing the test after <paramref name="timeout"/>.</summary>
    public async Task<JobRequest> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await _submitted.Reader.ReadAsync(cts.Token);
    }

    public bool TryNext(out JobRequest? request) => _submitted.Reader.TryRead(out request);

    /// <summary>Puts a submission back, to be read again.</summary>
    public void Requeue(JobRequest request) => _submitted.Writer.TryWrite(request);
}
