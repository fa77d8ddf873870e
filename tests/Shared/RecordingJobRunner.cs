using System.Threading.Channels;
using Takler.Server.Jobs;

namespace Takler.Testing;

/// <summary>
/// A job runner that starts nothing: it records each submission, so a test can wait for one and play the job's
/// part. Shared by the test projects (linked from tests/Shared).
/// </summary>
public sealed class RecordingJobRunner : IJobRunner
{
    private readonly Channel<JobRequest> _submitted = Channel.CreateUnbounded<JobRequest>();
    private readonly string? _rid;

    /// <param name="rid">The job id every submission reports, as a batch system would; null for none.</param>
    public RecordingJobRunner(string? rid = null)
    {
        _rid = rid;
    }

    /// <summary>The kill requests received.</summary>
    public List<JobRequest> Killed { get; } = [];

    public Task<JobOutcome> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        _submitted.Writer.TryWrite(request);
        return Task.FromResult(JobOutcome.Ok(rid: _rid));
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

    /// <summary>The next submission; the test fails after <paramref name="timeout"/> (default 20 s).</summary>
    public async Task<JobRequest> NextSubmissionAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        return await _submitted.Reader.ReadAsync(cts.Token);
    }

    /// <summary>A submission already made, if any, without waiting.</summary>
    public bool TryNext(out JobRequest? request) => _submitted.Reader.TryRead(out request);
}
