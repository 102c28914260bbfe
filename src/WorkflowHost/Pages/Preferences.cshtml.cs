using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Features.Notifications;
using WorkflowHost.Persistence.Notifications;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>A person's own notification channels (e-mail, SMS) and the daily digest; the page of <c>/api/me/notification-preferences</c>.</summary>
public sealed class PreferencesModel(ChannelService service) : WebPageModel
{
    public NotificationPreferencesView View { get; private set; } = null!;

    public bool Saved { get; private set; }

    public string? Error { get; private set; }

    public override string Title => L("通知方式", "Notification preferences");

    public string L(string zh, string en) => T.En ? en : zh;

    public async Task OnGetAsync(bool saved, CancellationToken cancellationToken)
    {
        Saved = saved;
        View = await service.PreferencesAsync(Me, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(List<string>? channels, bool digest, CancellationToken cancellationToken)
    {
        var errors = await service.SavePreferencesAsync(Me, new NotificationPreferencesBody(channels ?? [], digest), cancellationToken);
        if (errors is not null)
        {
            Error = string.Join(" ", errors.Values.SelectMany(v => v));
            View = await service.PreferencesAsync(Me, cancellationToken);
            return Page();
        }

        return Redirect("/preferences?saved=true");
    }

    public string ChannelLabel(string channel) => channel switch
    {
        ChannelNames.Email => L("电子邮件", "E-mail"),
        ChannelNames.Sms => L("短信", "SMS"),
        _ => channel,
    };
}
