using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Features.Accounts;

/// <summary>How a link reached its person: by e-mail, and in Development also shown to the administrator.</summary>
internal sealed record LinkHandover(bool Emailed, string? ShownLink);

/// <summary>
/// Gets a new link to its person (docs/decisions/0105). With SMTP configured and an e-mail address in the directory it
/// is e-mailed. In Development the administrator is also shown it (the demo has no mail server). Outside Development
/// nobody but the person ever sees it: with no way to send it, no link is issued. The link is never logged.
/// </summary>
internal sealed class LinkDelivery(IHostEnvironment environment, SmtpOptions smtp, IEmailSender sender)
{
    public bool CanDeliver(string? email) => environment.IsDevelopment() || (smtp.Enabled && !string.IsNullOrWhiteSpace(email));

    public static string Url(HttpRequest request, string purpose, string token) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/account/{purpose}/{token}";

    /// <summary>Sends the e-mail when it can; throws when the mail server refuses (the caller withdraws the link).</summary>
    public async Task<LinkHandover> HandOverAsync(IssuedLink link, string purpose, string url, CancellationToken cancellationToken)
    {
        var emailed = false;
        if (smtp.Enabled && !string.IsNullOrWhiteSpace(link.Email))
        {
            var english = Web.Texts.IsEnglish(link.Language);
            var until = link.ExpiresAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
            var (subject, body) = (purpose == AccountLink.InvitationPurpose, english) switch
            {
                (true, false) => ("WorkflowHost 账户邀请", $"{link.PersonName}：\n\n请打开以下链接设置密码并登录（仅可使用一次，{until} UTC 前有效）：\n\n{url}\n"),
                (true, true) => ("Your WorkflowHost account", $"{link.PersonName},\n\nOpen this link to set your password and sign in (it works once, until {until} UTC):\n\n{url}\n"),
                (false, false) => ("WorkflowHost 密码重置", $"{link.PersonName}：\n\n管理员为您发出了密码重置链接（仅可使用一次，{until} UTC 前有效）：\n\n{url}\n\n设置新密码后，您在其他设备上的登录将全部结束。\n"),
                (false, true) => ("WorkflowHost password reset", $"{link.PersonName},\n\nAn administrator sent you this link to set a new password (it works once, until {until} UTC):\n\n{url}\n\nSetting it ends your sign-ins on every other device.\n"),
            };
            await sender.SendAsync(new EmailMessage(link.Email, link.PersonName, subject, body, $"<account-link-{link.Id:N}@workflowhost>"), cancellationToken);
            emailed = true;
        }

        return new LinkHandover(emailed, environment.IsDevelopment() ? url : null);
    }
}
