using System.Threading.Channels;
using Takler.Server.Jobs;

namespace Takler.Cli.Tests.TestSupport;

/// <summary>A job runner that starts nothing: it records each submission, so a test can act as the job.</summary>
public sealed class RecordingJobRunner : IJobRunner
{
    private readonly Channel<JobRequest> _submitted = Channel.CreateUnbounded<JobRequest>();

    public Task<JobOutcome> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        _submitted.Writer.TryWrite(request);
        return Task.FromResult(JobOutcome.Ok(rid: "4242"));
    }

    public Task<JobOutcome> KillAsync(JobRequest request, CancellationToken cancellationToken) => Task.FromResult(JobOutcome.Ok());

    public Task<JobOutcome> StatusAsync(JobRequest request, CancellationToken cancellationToken) => Task.FromResult(JobOutcome.Ok());

    public async Task<JobRequest> NextSubmissionAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await _submitted.Reader.ReadAsync(cts.Token);
    }
}
