using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Notifications;
using WorkflowHost.Persistence.Participants;

namespace WorkflowHost.Persistence.InService;

/// <summary>What one sweep did: reminders written to members and to the office.</summary>
public sealed record ClaimReminderCounts(int Members, int Office);

/// <summary>
/// A claim still open after its date (not confirmed by the office) reminds the member; one working day later, still open,
/// it tells the office. Each reminder is sent once: its time is set by a conditional update (<c>… IS NULL</c>) in the
/// transaction that writes the notification and its deliveries, so of two hosts sweeping at once only one writes it
/// (decision 0128). Nothing here ever closes a claim: only the office confirms one, served or not fulfilled.
/// </summary>
public sealed class ClaimReminders(IDbContextFactory<WorkflowDbContext> contexts, TimeProvider time, IWorkingCalendar calendar, StepWriteGate writeGate, DirectoryCache directory)
{
    public const string MemberTemplate = "claim-overdue-member";
    public const string OfficeTemplate = "claim-overdue-office";
    public const int BatchSize = 200;

    public async Task<ClaimReminderCounts> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var today = calendar.DateOf(now);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var late = await Overdue(db, today).Where(c => c.MemberRemindedAt == null)
            .OrderBy(c => c.DueOn).Take(BatchSize).ToListAsync(cancellationToken);
        var members = 0;
        foreach (var claim in late)
        {
            members += await RemindAsync(claim, office: false, now, cancellationToken) ? 1 : 0;
        }

        // The office's turn comes when the member's next working day has ended (the calendar skips weekends and holidays).
        var remindedMembers = await Overdue(db, today).Where(c => c.MemberRemindedAt != null && c.OfficeRemindedAt == null)
            .OrderBy(c => c.DueOn).Take(BatchSize).ToListAsync(cancellationToken);
        var office = 0;
        foreach (var claim in remindedMembers.Where(c => calendar.AddWorkingDays(c.MemberRemindedAt!.Value, 1) <= now))
        {
            office += await RemindAsync(claim, office: true, now, cancellationToken) ? 1 : 0;
        }

        return new ClaimReminderCounts(members, office);
    }

    private static IQueryable<ServiceClaim> Overdue(WorkflowDbContext db, DateOnly today) =>
        db.Set<ServiceClaim>().AsNoTracking().Where(c => c.Status == ServiceClaimStatus.Claimed && c.DueOn < today);

    /// <summary>Takes the reminder (one conditional update) and writes its notifications in one transaction; false if another host had it.</summary>
    private async Task<bool> RemindAsync(ServiceClaim claim, bool office, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var _ = await writeGate.EnterAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claims = db.Set<ServiceClaim>().Where(c => c.Id == claim.Id && c.Status == ServiceClaimStatus.Claimed);
        var taken = office
            ? await claims.Where(c => c.OfficeRemindedAt == null).ExecuteUpdateAsync(s => s.SetProperty(c => c.OfficeRemindedAt, now), cancellationToken)
            : await claims.Where(c => c.MemberRemindedAt == null).ExecuteUpdateAsync(s => s.SetProperty(c => c.MemberRemindedAt, now), cancellationToken);
        if (taken == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        var title = await db.Set<ServiceOffer>().AsNoTracking().Where(o => o.Id == claim.OfferId).Select(o => o.Title).SingleAsync(cancellationToken);
        var member = await db.People.AsNoTracking().Where(p => p.Id == claim.PersonId).Select(p => p.NameZh).SingleAsync(cancellationToken);
        // The office's holders as every step sees them (the directory cache, checked against the version stamp on this
        // transaction's context); a deactivated person holds no role any more, so they are not among them.
        IReadOnlyList<string> recipients = office
            ? [.. (await directory.GetAsync(db, claim.CommunityId, cancellationToken)).InRole(RoleNames.Office).Select(p => p.Id)]
            : [claim.PersonId];
        foreach (var recipient in recipients)
        {
            var template = office ? OfficeTemplate : MemberTemplate;
            await DeliveryPlan.AddAsync(db, new PersonalNotice(claim.CommunityId, recipient, $"{template}:{claim.Id}:{recipient}", template,
                Data(claim, title, member, office)), now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The texts ride in the data (<c>processName</c>, <c>message</c> in both languages), as a <c>notify</c> step's do.</summary>
    private static JsonObject Data(ServiceClaim claim, string title, string member, bool office)
    {
        var due = claim.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["kind"] = office ? "claim-overdue-office" : "claim-overdue-member",
            ["claim"] = claim.Id.ToString(),
            ["person"] = claim.PersonId,
            ["dueOn"] = due,
            ["processName.zh-CN"] = "在职党员进社区",
            ["processName.en"] = "In-service members in the community",
            ["message.zh-CN"] = office
                ? $"{member}认领的「{title}」已过完成日期（{due}）仍未确认，请联系本人并确认完成情况（已完成或未完成）。"
                : $"您认领的「{title}」应于{due}前完成，尚未确认。完成后请联系党委办公室确认服务时长；无法完成的也请告知。",
            ["message.en"] = office
                ? $"{member}'s claim \"{title}\" was due {due} and is still not confirmed; please contact them and confirm it as served or not fulfilled."
                : $"Your claim \"{title}\" was due {due} and has not been confirmed. Ask the office to confirm your hours once served, or tell them if you cannot.",
        };
    }
}
