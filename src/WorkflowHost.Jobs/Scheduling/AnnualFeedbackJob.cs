using Hangfire;
using WorkflowHost.Persistence.InService.Feedback;

namespace WorkflowHost.Jobs.Scheduling;

/// <summary>
/// Hourly: opens the year's in-service review (年度反馈) in every community that needs one, from the last working day of
/// December on (<see cref="AnnualFeedbackOpener"/>). Hourly rather than once on 31 December, so a host that was down, a job
/// that failed or a calendar that moved the last working day all end in a review; the review's key keeps it to one per
/// community and year however often and on however many hosts it runs (decision 0124).
/// </summary>
public sealed class AnnualFeedbackJob(AnnualFeedbackOpener opener)
{
    public const string RecurringJobId = "in-service-annual-feedback";

    [Queue(SchedulingOptions.Queue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("In-service annual feedback")]
    public async Task<int> RunAsync(CancellationToken cancellationToken) =>
        (await opener.OpenDueAsync(cancellationToken)).Count(o => o.Opened);
}
