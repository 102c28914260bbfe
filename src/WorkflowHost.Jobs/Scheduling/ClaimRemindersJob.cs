using Hangfire;
using Microsoft.Extensions.Logging;
using WorkflowHost.Persistence.InService;

namespace WorkflowHost.Jobs.Scheduling;

/// <summary>
/// Every quarter hour: reminds members of service claims past their date, then the office a working day later (decision
/// 0128). It only writes notifications and their deliveries; the overdue sweep hands those to the channels.
/// </summary>
public sealed class ClaimRemindersJob(ClaimReminders reminders, ILogger<ClaimRemindersJob> logger)
{
    public const string RecurringJobId = "in-service-claim-reminders";

    public const string Cron = "*/15 * * * *";

    [Queue(SchedulingOptions.Queue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [JobDisplayName("Service claim reminders")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var sent = await reminders.SweepAsync(cancellationToken);
        if (sent.Members + sent.Office > 0)
        {
            logger.LogInformation("Claim reminders: {Members} to members, {Office} to the office.", sent.Members, sent.Office);
        }
    }
}
