using Hangfire;
using Microsoft.Extensions.Logging;
using WorkflowHost.Persistence.Attachments;

namespace WorkflowHost.Jobs.Scheduling;

/// <summary>Hourly: deletes uploads no case refers to after the configured time, and the content nobody names.</summary>
public sealed class OrphanAttachmentsJob(OrphanAttachments orphans, ILogger<OrphanAttachmentsJob> logger)
{
    public const string RecurringJobId = "attachments-orphan-cleaner";

    [Queue(SchedulingOptions.Queue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("Orphan attachments")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var (uploads, blobs) = await orphans.CleanAsync(cancellationToken);
        if (uploads + blobs > 0)
        {
            logger.LogInformation("Cleaned {Uploads} orphan uploads and {Blobs} unnamed files.", uploads, blobs);
        }
    }
}
