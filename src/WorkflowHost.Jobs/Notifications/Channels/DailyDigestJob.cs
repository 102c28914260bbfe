using Hangfire;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Notifications;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Jobs.Notifications.Channels;

/// <summary>
/// The daily digest, for people who asked for it instead of single messages: once per person per working day (调休
/// weekends included, holidays not), from the digest time on. What is open for them, which of it is overdue, and what was
/// decided on their cases since their last digest. Every host may run it (a recurring job per Hangfire storage, and again
/// at start-up); the unique key <c>digest/{person}/{day}</c> on the notification row keeps it to one.
/// </summary>
public sealed class DailyDigestJob(
    ChannelOutbox outbox,
    WorkflowQueries queries,
    IWorkingCalendar calendar,
    ChannelOptions options,
    IBackgroundJobClient jobs,
    TimeProvider time,
    ILogger<DailyDigestJob> logger)
{
    public const string RecurringJobId = "workflow-daily-digest";

    [Queue(Scheduling.SchedulingOptions.Queue)]
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Daily digest")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var local = TimeZoneInfo.ConvertTime(now, calendar.TimeZone);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (!calendar.IsWorkingDay(day) || TimeOnly.FromDateTime(local.DateTime) < options.DigestAtTime)
        {
            return;
        }

        var since = PreviousDigestTime(day);
        var written = 0;
        foreach (var (personId, communityId) in await outbox.DigestReadersAsync(cancellationToken))
        {
            var open = await queries.OpenWorkForAsync(personId, cancellationToken);
            var content = await outbox.DigestContentAsync(personId, open, since, cancellationToken);
            if (open.Count == 0 && content["decided"]!.AsArray().Count == 0)
            {
                continue; // nothing to say: no message
            }

            if (await outbox.WriteDigestAsync(communityId, personId, day, content, cancellationToken) is { } id)
            {
                jobs.Enqueue<DeliverNotificationJob>(job => job.RunAsync(id, CancellationToken.None));
                written++;
            }
        }

        if (written > 0)
        {
            logger.LogInformation("Daily digest {Day}: {Count} written.", day, written);
        }
    }

    /// <summary>The digest time of the previous working day: "decided since" starts where the last digest stopped.</summary>
    private DateTimeOffset PreviousDigestTime(DateOnly day)
    {
        var previous = day.AddDays(-1);
        for (var i = 0; i < 60 && !calendar.IsWorkingDay(previous); i++)
        {
            previous = previous.AddDays(-1);
        }

        var localTime = previous.ToDateTime(options.DigestAtTime);
        return new DateTimeOffset(localTime, calendar.TimeZone.GetUtcOffset(localTime)).ToUniversalTime();
    }
}
