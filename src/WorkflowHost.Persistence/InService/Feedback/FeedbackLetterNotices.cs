using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Notifications;
using WorkflowHost.Persistence.Participants;

namespace WorkflowHost.Persistence.InService.Feedback;

/// <summary>
/// Tells a unit's liaisons that its feedback letter (反馈函) is out, with the letter's page (decision 0141). Written in the
/// transaction that issues the letter, so a refused or rolled-back issue sends nothing and a retried one cannot send twice:
/// the unique key names the community, the letter and the liaison. In the app and on each liaison's own channels.
/// </summary>
internal static class FeedbackLetterNotices
{
    public const string Template = "feedback-letter-issued";

    /// <summary>The page where a unit's liaison reads its letter (the review instance itself is the office's).</summary>
    public static string Link(string number) => $"/in-service/letters/{Uri.EscapeDataString(number)}";

    public static async Task<int> AddAsync(WorkflowDbContext db, DirectoryCache directory, string communityId, string unitId, string? unitName, string number, int year,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        // First the lock every directory change takes first (its version bump): a liaison granted at this moment either
        // committed before, and is read below, or waits for this issue to commit and then finds the letter (decision 152),
        // so nobody made liaison meanwhile is missed by both. A no-op update: the version does not move.
        await db.Communities.Where(c => c.Id == communityId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.DirectoryVersion, c => c.DirectoryVersion), cancellationToken);

        // The unit's liaisons as every step sees them (the directory cache, checked against the version stamp on this
        // transaction's context), as a claim reminder finds the office; a deactivated person holds no role any more.
        var liaisons = (await directory.GetAsync(db, communityId, cancellationToken)).InRole(RoleNames.UnitLiaison)
            .Where(p => p.UnitId == unitId).Select(p => p.Id).Distinct(StringComparer.Ordinal).ToList();
        foreach (var liaison in liaisons.Order(StringComparer.Ordinal))
        {
            await DeliveryPlan.AddAsync(
                db, new PersonalNotice(communityId, liaison, $"{Template}:{communityId}:{number}:{liaison}", Template, Data(unitId, unitName, number, year)), now, cancellationToken);
        }

        return liaisons.Count;
    }

    /// <summary>The texts ride in the data (<c>processName</c>, <c>message</c> in both languages), as a claim reminder's do.</summary>
    private static JsonObject Data(string unitId, string? unitName, string number, int year)
    {
        var link = Link(number);
        return new JsonObject
        {
            ["kind"] = Template,
            ["unit"] = unitId,
            ["number"] = number,
            ["year"] = year,
            ["link"] = link,
            ["processName.zh-CN"] = "在职党员年度反馈",
            ["processName.en"] = "In-service members' annual feedback",
            ["message.zh-CN"] = $"社区党委已向{unitName ?? "贵单位"}出具{year}年度在职党员进社区情况反馈函（编号 {number}），请登录系统查阅：{link}",
            ["message.en"] = $"The community has issued {unitName ?? "your unit"}'s feedback letter on in-service members' service in {year} (number {number}). Read it at {link}",
        };
    }
}
