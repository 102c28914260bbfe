using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Records;

namespace WorkflowHost.Persistence.InService.Feedback;

/// <summary>
/// <c>in-service-review</c>: opens the community's review of a year (value <c>year</c>), the first step of
/// <c>in-service-annual-feedback</c>. The row's key (community, year) makes the rule "once per community and year" a property
/// of the table: a second start finds the row and is refused, nothing of it kept; two starts racing both insert, and the
/// loser's commit fails on the key and is re-run, then refused (decision 0124).
/// </summary>
internal sealed class ReviewRegister : IRecordRegister
{
    public const string RegisterName = "in-service-review";

    public string Name => RegisterName;

    public async Task<int> WriteAsync(StoreStepContext context, string activityId, JsonObject values, JsonArray rows, CancellationToken cancellationToken)
    {
        var communityId = context.Instance.CommunityId;
        var year = FeedbackValues.Year(values["year"]) ?? throw Refused(context, "year", "The review needs the year it covers.");
        if (await context.Db.Set<InServiceReview>().AnyAsync(r => r.CommunityId == communityId && r.Year == year, cancellationToken))
        {
            throw Refused(context, "year", $"The in-service members' review of {year} is already open in this community; there is one a year.");
        }

        context.Db.Set<InServiceReview>().Add(new InServiceReview { CommunityId = communityId, Year = year, InstanceId = context.Instance.Id, OpenedAt = context.Now });
        return 1;
    }

    internal static StepRefusedException Refused(StoreStepContext context, string field, string message) =>
        new(context.Instance.Id, new Refusal(RefusalCode.InvalidInput, message, new Dictionary<string, string[]> { [field] = [message] }));
}

internal static class FeedbackValues
{
    /// <summary>A whole-number year, however the engine holds the number (an integer field is normalised, not necessarily an int).</summary>
    public static int? Year(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number
        && decimal.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var year)
        && year == decimal.Truncate(year) && year is > 0 and < 10_000
            ? (int)year : null;
}
