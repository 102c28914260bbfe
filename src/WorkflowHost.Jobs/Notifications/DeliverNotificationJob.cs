using Hangfire;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Jobs.Notifications;

/// <summary>
/// Delivers one notification by e-mail: claim it in the outbox (so only one host sends it), render it in the recipient's
/// language, send it, record the result. A failure is retried later with back-off (a delayed job, and the sweep);
/// the last failure leaves it <c>failed</c> with its error for administrators.
/// </summary>
public sealed class DeliverNotificationJob(
    NotificationOutbox outbox,
    NotificationTexts texts,
    IEmailSender sender,
    SmtpOptions smtp,
    IBackgroundJobClient jobs,
    ILogger<DeliverNotificationJob> logger)
{
    /// <summary>Longer than any send; a host that died while sending leaves a claim that expires after it.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [Queue(Scheduling.SchedulingOptions.Queue)]
    [AutomaticRetry(Attempts = 0)] // retries are ours: counted in the outbox, visible to administrators
    [JobDisplayName("Deliver notification {0}")]
    public async Task RunAsync(Guid notificationId, CancellationToken cancellationToken)
    {
        var delivery = await outbox.ClaimAsync(notificationId, Lease, cancellationToken);
        if (delivery is null)
        {
            return;
        }

        if (!smtp.Enabled)
        {
            await outbox.MarkSkippedAsync(notificationId, "SMTP is not configured", cancellationToken);
            return;
        }

        if (string.IsNullOrWhiteSpace(delivery.Email))
        {
            await outbox.MarkSkippedAsync(notificationId, "the recipient has no e-mail address", cancellationToken);
            return;
        }

        var english = LocalizedText.IsEnglish(delivery.Language);
        var text = texts.Render(delivery.Template, delivery.Language, delivery.Data, english ? delivery.NameEn : delivery.NameZh);
        var message = new EmailMessage(delivery.Email, (english ? delivery.NameEn : delivery.NameZh) ?? delivery.RecipientId,
            text.Subject, text.Body, $"{delivery.NotificationId:N}@workflowhost");
        try
        {
            await sender.SendAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var policy = new RetryPolicy(smtp.MaxAttempts, smtp.FirstRetryDelay, smtp.MaxRetryDelay);
            var retryAt = await outbox.MarkFailedAsync(notificationId, delivery.Email, $"{e.GetType().Name}: {e.Message}", delivery.Attempt, policy, CancellationToken.None);
            if (retryAt is { } at)
            {
                logger.LogWarning("E-mail {NotificationId} to {Recipient} failed (attempt {Attempt}); retrying at {RetryAt}: {Error}",
                    notificationId, delivery.RecipientId, delivery.Attempt, at, e.Message);
                jobs.Schedule<DeliverNotificationJob>(job => job.RunAsync(notificationId, CancellationToken.None), at);
            }
            else
            {
                logger.LogError("E-mail {NotificationId} to {Recipient} failed {Attempts} times; giving up: {Error}",
                    notificationId, delivery.RecipientId, delivery.Attempt, e.Message);
            }

            return;
        }

        await outbox.MarkSentAsync(notificationId, delivery.Email, CancellationToken.None);
    }
}
