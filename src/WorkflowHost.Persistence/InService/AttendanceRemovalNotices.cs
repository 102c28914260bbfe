using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowHost.Persistence.Notifications;

namespace WorkflowHost.Persistence.InService;

/// <summary>
/// Tells a member that the office removed their attendance entry for an activity, and why (decision 139). Written in the
/// transaction that removes it, keyed by the removal, so a refused removal or the loser of two racing removals sends
/// nothing, and a member recorded and removed again is told again. In the app and on the member's own channels.
/// </summary>
internal static class AttendanceRemovalNotices
{
    public const string Template = "attendance-removed";

    /// <summary>The member's own page, where the activities they are counted for are listed.</summary>
    public const string Link = "/in-service";

    public static Task AddAsync(WorkflowDbContext db, AttendanceRemoval removal, DateTimeOffset now, CancellationToken cancellationToken) =>
        DeliveryPlan.AddAsync(db, new PersonalNotice(removal.CommunityId, removal.PersonId, $"{Template}:{removal.Id}", Template, Data(removal)), now, cancellationToken);

    /// <summary>The texts ride in the data (<c>processName</c>, <c>message</c> in both languages), as a claim reminder's do.</summary>
    private static JsonObject Data(AttendanceRemoval removal)
    {
        var date = removal.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["kind"] = Template,
            ["activity"] = removal.InstanceId.ToString(),
            ["title"] = removal.Title,
            ["date"] = date,
            ["reason"] = removal.Reason,
            ["link"] = Link,
            ["processName.zh-CN"] = "在职党员进社区",
            ["processName.en"] = "In-service members in the community",
            ["message.zh-CN"] = $"党委办公室移除了您参加「{removal.Title}」（{date}）的记录，该活动不再计入您的参加次数。原因：{removal.Reason}。如有疑问请联系党委办公室。",
            ["message.en"] = $"The office removed your attendance at \"{removal.Title}\" ({date}); it no longer counts among your activities. Reason: {removal.Reason}. Ask the office if you think this is wrong.",
        };
    }
}
