using WorkflowHost.Persistence.Notifications;

namespace WorkflowHost.Jobs.Notifications.Channels;

/// <summary>E-mail through SMTP (MailKit), as before channels existed: same texts, same message id, same statuses.</summary>
public sealed class EmailChannel(IEmailSender sender, SmtpOptions smtp, NotificationTexts texts, ChannelTexts channelTexts) : INotificationChannel
{
    public string Name => ChannelNames.Email;

    public async Task<ChannelResult> SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken)
    {
        if (!smtp.Enabled)
        {
            return ChannelResult.Skipped("SMTP is not configured");
        }

        if (string.IsNullOrWhiteSpace(delivery.Email))
        {
            return ChannelResult.Skipped("the recipient has no e-mail address");
        }

        var english = WorkflowHost.Engine.Definitions.LocalizedText.IsEnglish(delivery.Language);
        var name = english ? delivery.NameEn : delivery.NameZh;
        string subject;
        string body;
        if (delivery.Template is ChannelNames.DigestTemplate or ChannelNames.ChannelFailingTemplate or "channel-test")
        {
            var text = channelTexts.Render(delivery);
            (subject, body) = (text.Title, text.PlainBody + "\n");
        }
        else
        {
            var text = texts.Render(delivery.Template, delivery.Language, delivery.Data, name);
            (subject, body) = (text.Subject, text.Body);
        }

        var message = new EmailMessage(delivery.Email, name ?? delivery.RecipientId, subject, body, $"{delivery.NotificationId:N}@workflowhost");
        try
        {
            await sender.SendAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // An SMTP failure may be this address's or the server's; e-mail keeps its per-message retries and its own failed list.
            return new ChannelResult(ChannelOutcome.Transient, delivery.Email, $"{e.GetType().Name}: {e.Message}");
        }

        return ChannelResult.Sent(delivery.Email);
    }
}
