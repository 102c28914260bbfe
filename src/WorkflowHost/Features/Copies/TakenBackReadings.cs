using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Persistence;

namespace WorkflowHost.Features.Copies;

/// <summary>A reader's access to a case taken back (decision 139): a copy withdrawn or a delegate's reading ended, when, of which process.</summary>
public sealed record TakenBackReading(bool CopyWithdrawn, DateTimeOffset At, LocalizedText ProcessName);

/// <summary>
/// Why a person who once read a case no longer can: found only in the notices addressed to them (the withdrawal's own
/// notice), so it tells them nothing they were not already told and grants no access to the case.
/// </summary>
public sealed class TakenBackReadings(IDbContextFactory<WorkflowDbContext> contexts)
{
    private static readonly string[] Templates = [ReaderWithdrawals.CopyWithdrawnTemplate, ReaderWithdrawals.ReadingEndedTemplate];

    /// <summary>The latest taking back of <paramref name="caller"/>'s reading of this case, or null when there was none.</summary>
    public async Task<TakenBackReading?> LatestAsync(Caller caller, Guid instanceId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var me = caller.PersonId;
        var community = caller.CommunityId;
        var notice = await db.Notifications.AsNoTracking()
            .Where(n => n.RecipientId == me && n.CommunityId == community && n.InstanceId == instanceId && Templates.Contains(n.Template))
            .OrderByDescending(n => n.CreatedAt).Select(n => new { n.Template, n.CreatedAt, n.DataJson })
            .FirstOrDefaultAsync(cancellationToken);
        if (notice is null)
        {
            return null;
        }

        var data = JsonNode.Parse(notice.DataJson) as JsonObject ?? [];
        var name = LocalizedText.Of(data["processName.zh-CN"]?.GetValue<string>() ?? "", data["processName.en"]?.GetValue<string>() ?? "");
        return new TakenBackReading(notice.Template == ReaderWithdrawals.CopyWithdrawnTemplate, notice.CreatedAt, name);
    }
}
