using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Participants;
using WorkflowHost.Persistence.Records;

namespace WorkflowHost.Persistence.InService.Feedback;

/// <summary>
/// <c>in-service-feedback-letters</c>: the community's feedback letters (反馈函) on the year under review (value <c>year</c>),
/// one per unit whose members were evaluated, each a numbered document of the instance (series <c>feedback</c>, numbered like
/// the replies: per community and year of issue, gapless, in this step's transaction). A letter lists the unit's members with
/// their hours, posts, wishes, activities, evaluation and comment, frozen as issued. Refused whole while a registered member
/// has no evaluation (decision 0125).
/// </summary>
internal sealed class LettersRegister(DirectoryCache directory) : IRecordRegister
{
    public const string RegisterName = "in-service-feedback-letters";
    public const string DocumentType = "in-service-feedback-letter";
    public const string Series = "feedback";
    public const string Format = "FK-{year}-{seq:000}";

    public string Name => RegisterName;

    public async Task<int> WriteAsync(StoreStepContext context, string activityId, JsonObject values, JsonArray rows, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var communityId = context.Instance.CommunityId;
        var year = FeedbackValues.Year(values["year"]) ?? throw ReviewRegister.Refused(context, "year", "The letters need the year they cover.");
        var review = await db.Set<InServiceReview>().SingleOrDefaultAsync(r => r.CommunityId == communityId && r.Year == year && r.InstanceId == context.Instance.Id, cancellationToken);
        if (review is null || review.LettersIssuedAt is not null)
        {
            throw ReviewRegister.Refused(context, "evaluations", $"The {year} review has no letters left to issue.");
        }

        var registered = await FeedbackFigures.RegisteredAsync(db, communityId, year, cancellationToken);
        // The evaluations saved by this same step (the final save) are tracked, not yet written: read both.
        var stored = await db.Set<InServiceEvaluation>().Where(e => e.CommunityId == communityId && e.Year == year).ToListAsync(cancellationToken);
        var evaluations = stored.Concat(db.Set<InServiceEvaluation>().Local.Where(e => e.CommunityId == communityId && e.Year == year)).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => p.CommunityId == communityId)
            .Select(p => new { p.Id, p.NameZh }).ToDictionaryAsync(p => p.Id, p => p.NameZh, StringComparer.Ordinal, cancellationToken);
        var missing = registered.Where(r => evaluations.All(e => e.PersonId != r.PersonId)).Select(r => people.GetValueOrDefault(r.PersonId) ?? r.PersonId).ToList();
        if (missing.Count > 0)
        {
            throw ReviewRegister.Refused(context, "evaluations", $"Every registered member needs an evaluation before the letters go out; missing: {string.Join("、", missing)}.");
        }

        var figures = await FeedbackFigures.ForAsync(db, communityId, year, [.. evaluations.Select(e => e.PersonId)], cancellationToken);
        var units = await db.Units.AsNoTracking().Where(u => u.CommunityId == communityId)
            .Select(u => new { u.Id, u.NameZh }).ToDictionaryAsync(u => u.Id, u => u.NameZh, StringComparer.Ordinal, cancellationToken);
        var issueYear = context.Calendar.YearOf(context.Now);
        var letters = 0;
        foreach (var unit in evaluations.GroupBy(e => e.UnitId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = new JsonArray([.. unit.OrderBy(e => people.GetValueOrDefault(e.PersonId), StringComparer.Ordinal).Select(e =>
            {
                var served = figures[e.PersonId];
                return (JsonNode)new JsonObject
                {
                    ["person"] = e.PersonId, ["name"] = people.GetValueOrDefault(e.PersonId), ["hours"] = served.Hours, ["posts"] = served.Posts,
                    ["wishes"] = served.Wishes, ["activities"] = served.Activities, ["rating"] = e.Rating, ["comment"] = e.Comment,
                };
            })]);
            var content = new JsonObject
            {
                ["year"] = year, ["unit"] = unit.Key, ["unitName"] = units.GetValueOrDefault(unit.Key), ["members"] = members,
            };
            var number = await DocumentIssuer.IssueAsync(db, context.Instance, context.Now, context.Calendar,
                new DocumentIssuer.Issue(DocumentType, Series, issueYear, Format, activityId, content), context.Journal, cancellationToken);
            foreach (var evaluation in unit)
            {
                evaluation.LetterNumber = number;
            }

            await FeedbackLetterNotices.AddAsync(db, directory, communityId, unit.Key, units.GetValueOrDefault(unit.Key), number, year, context.Now, cancellationToken);

            letters++;
        }

        review.LettersIssuedAt = context.Now;
        return letters;
    }
}
