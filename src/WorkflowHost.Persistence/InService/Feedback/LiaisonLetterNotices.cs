using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Notifications;

namespace WorkflowHost.Persistence.InService.Feedback;

/// <summary>
/// The feedback letters (反馈函) and a unit's changing liaisons (decision 0152). A person who becomes a unit's liaison after
/// its letter went out is told of the letters of the latest review, one notice per letter; a liaison who stops being one
/// before a letter's notice was sent does not get it. Both run inside the directory change's transaction, so a refused,
/// previewed or rolled-back change tells nobody and suppresses nothing.
/// </summary>
public static class LiaisonLetterNotices
{
    public const string Template = "feedback-letter-new-liaison";

    /// <summary>Why a letter's delivery was not sent, as administrators see it on the delivery row.</summary>
    public const string SuppressedReason = "the person was no longer the unit's liaison when the message was to be sent";

    private static readonly string[] LetterTemplates = [FeedbackLetterNotices.Template, Template];

    /// <summary>
    /// Tells <paramref name="personId"/>, just made liaison of <paramref name="unitId"/> by the directory change
    /// <paramref name="changeId"/>, of each of the unit's letters of the latest review whose letters are out. Keyed by the
    /// change: a liaison removed and made liaison again is told again, as a new liaison would be.
    /// </summary>
    internal static async Task<int> AddAsync(WorkflowDbContext db, string communityId, string personId, string unitId, Guid changeId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var letters = await CurrentLettersAsync(db, communityId, unitId, cancellationToken);
        foreach (var letter in letters)
        {
            var key = $"{Template}:{communityId}:{letter.Number}:{personId}:{changeId:N}";
            await DeliveryPlan.AddAsync(db, new PersonalNotice(communityId, personId, key, Template, Data(letter)), now, cancellationToken);
        }

        return letters.Count;
    }

    /// <summary>
    /// <paramref name="personId"/> is no longer liaison of <paramref name="unitId"/>: the deliveries of that unit's letter
    /// notices to them still waiting are marked suppressed (a delivery a sender has claimed has gone or is going). The in-app
    /// notice stays; its link now answers "not found", as the letter is the unit's and no longer theirs to read.
    /// </summary>
    internal static async Task<int> SuppressPendingAsync(WorkflowDbContext db, string communityId, string personId, string unitId, CancellationToken cancellationToken)
    {
        // The unit is in the notice's data, not a column: read the few waiting letter notices of this person and pick by it.
        var waiting = await db.Notifications.AsNoTracking()
            .Where(n => n.CommunityId == communityId && n.RecipientId == personId && LetterTemplates.Contains(n.Template)
                && db.NotificationDeliveries.Any(d => d.NotificationId == n.Id && d.Status == DeliveryStatus.Pending))
            .Select(n => new { n.Id, n.DataJson }).ToListAsync(cancellationToken);
        var ids = waiting.Where(n => (JsonNode.Parse(n.DataJson)?["unit"] as JsonValue)?.GetValue<string>() == unitId).Select(n => n.Id).ToList();
        if (ids.Count == 0)
        {
            return 0;
        }

        return await PendingDeliveries.SuppressAsync(db.NotificationDeliveries.Where(d => ids.Contains(d.NotificationId)), SuppressedReason, cancellationToken);
    }

    /// <summary>
    /// The unit's letters of the community's latest review whose letters are out: the feedback the unit currently holds.
    /// A review's letters replace the previous year's, so older letters are history (read on <c>/in-service/unit</c>).
    /// </summary>
    private static async Task<IReadOnlyList<FeedbackLetter>> CurrentLettersAsync(WorkflowDbContext db, string communityId, string unitId, CancellationToken cancellationToken)
    {
        var review = await db.Set<InServiceReview>().AsNoTracking()
            .Where(r => r.CommunityId == communityId && r.LettersIssuedAt != null)
            .OrderByDescending(r => r.Year).Select(r => (Guid?)r.InstanceId).FirstOrDefaultAsync(cancellationToken);
        if (review is not { } instanceId)
        {
            return [];
        }

        var rows = await db.Set<IssuedDocument>().AsNoTracking()
            .Where(d => d.CommunityId == communityId && d.InstanceId == instanceId && d.DocumentType == LettersRegister.DocumentType)
            .OrderBy(d => d.Number).ToListAsync(cancellationToken);
        return [.. rows.Select(FeedbackReader.Parse).Where(l => l.UnitId == unitId)];
    }

    /// <summary>The texts ride in the data (<c>processName</c>, <c>message</c> in both languages), as the issue's notice's do.</summary>
    private static JsonObject Data(FeedbackLetter letter)
    {
        var link = FeedbackLetterNotices.Link(letter.Number);
        var unit = letter.UnitName ?? "贵单位";
        return new JsonObject
        {
            ["kind"] = Template,
            ["unit"] = letter.UnitId,
            ["number"] = letter.Number,
            ["year"] = letter.Year,
            ["issuedOn"] = letter.IssuedOn,
            ["link"] = link,
            ["processName.zh-CN"] = "在职党员年度反馈",
            ["processName.en"] = "In-service members' annual feedback",
            ["message.zh-CN"] = $"您已成为{unit}的联络员。社区党委已于{letter.IssuedOn}向该单位出具{letter.Year}年度在职党员进社区情况反馈函（编号 {letter.Number}），请登录系统查阅：{link}",
            ["message.en"] = $"You are now {letter.UnitName ?? "your unit"}'s liaison. On {letter.IssuedOn} the community issued the unit's feedback letter on in-service members' service in {letter.Year} (number {letter.Number}). Read it at {link}",
        };
    }
}
