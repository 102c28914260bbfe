using WorkflowHost.Engine.Runtime;
using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Api;
using WorkflowHost.Features.Notifications;
using WorkflowHost.Persistence.Notifications;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// For administrators: the community's channels (configured or not, never the key), their health, the deliveries with
/// their failure reasons, saving a webhook and secret (write-only), retrying after a fix, and a test message.
/// </summary>
public sealed class ChannelsModel(ChannelService service, ChannelOutbox outbox) : WebPageModel
{
    public IReadOnlyList<ChannelStatusView> Channels { get; private set; } = [];

    public IReadOnlyList<ChannelDeliveryView> Deliveries { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Filter { get; private set; }

    public override string Title => L("通知通道", "Notification channels");

    public string L(string zh, string en) => T.En ? en : zh;

    public async Task<IActionResult> OnGetAsync(string? channel, string? message, CancellationToken cancellationToken)
    {
        if (!Me.Has(RoleNames.Administrator))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Message = message;
        Filter = channel is not null && ChannelNames.All.Contains(channel) ? channel : null;
        Channels = await service.StatusAsync(Me.CommunityId, cancellationToken);
        Deliveries = await outbox.DeliveriesAsync(Me.CommunityId, Filter, null, 100, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(string channel, bool enabled, string? webhook, string? secret, bool clear, CancellationToken cancellationToken)
    {
        if (!Me.Has(RoleNames.Administrator))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        // An empty field keeps what is stored: the page never shows a saved key, so it cannot be "edited", only replaced.
        var body = new ChannelSettingsBody(enabled, clear ? "" : NullIfEmpty(webhook), clear ? "" : NullIfEmpty(secret));
        var errors = await service.SaveSettingsAsync(Me, channel, body, cancellationToken);
        return Back(errors is null ? L("已保存。", "Saved.") : string.Join(" ", errors.Values.SelectMany(v => v)));
    }

    public async Task<IActionResult> OnPostTestAsync(string channel, CancellationToken cancellationToken)
    {
        if (!Me.Has(RoleNames.Administrator) || !ChannelNames.All.Contains(channel))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        await service.TestAsync(Me, channel, cancellationToken);
        return Back(L("测试消息已发出，结果见下方列表。", "Test message queued; its result appears below."), channel);
    }

    public async Task<IActionResult> OnPostRetryAsync(string channel, Guid? notification, CancellationToken cancellationToken)
    {
        if (!Me.Has(RoleNames.Administrator) || !ChannelNames.All.Contains(channel))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var count = await service.RetryAsync(Me.CommunityId, channel, notification, cancellationToken);
        return Back(L($"已重新排队 {count} 条。", $"{count} requeued."), channel);
    }

    public string StatusLabel(string status) => status switch
    {
        "sent" => L("已发送", "sent"),
        "pending" => L("待发送", "pending"),
        "sending" => L("发送中", "sending"),
        "failed" => L("失败", "failed"),
        "skipped" => L("跳过", "skipped"),
        "suppressed" => L("已撤销", "suppressed"),
        _ => status,
    };

    private RedirectResult Back(string message, string? channel = null) =>
        Redirect($"/admin/channels?message={Uri.EscapeDataString(message)}{(channel is null ? "" : $"&channel={Uri.EscapeDataString(channel)}")}");

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
