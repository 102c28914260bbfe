using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Records;

namespace WorkflowHost.Persistence.InService.Feedback;

/// <summary>
/// <c>in-service-evaluation</c>: the office's evaluations of the year under review. Values: <c>year</c>, <c>savedBy</c> (who
/// completed the review task); rows: <c>member</c>, <c>rating</c>, <c>comment</c>. A member named again replaces their
/// evaluation. All or nothing: a row naming someone who is not a registered member for the year refuses the whole step,
/// with the reason under <c>evaluations[i].member</c>; so does a review whose letters are out.
/// </summary>
internal sealed class EvaluationRegister : IRecordRegister
{
    public const string RegisterName = "in-service-evaluation";

    public string Name => RegisterName;

    public async Task<int> WriteAsync(StoreStepContext context, string activityId, JsonObject values, JsonArray rows, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var communityId = context.Instance.CommunityId;
        var year = FeedbackValues.Year(values["year"]) ?? throw ReviewRegister.Refused(context, "year", "The evaluations need the year they cover.");
        var review = await db.Set<InServiceReview>().SingleOrDefaultAsync(r => r.CommunityId == communityId && r.Year == year && r.InstanceId == context.Instance.Id, cancellationToken);
        if (review is null || review.LettersIssuedAt is not null)
        {
            throw ReviewRegister.Refused(context, "evaluations", $"The {year} review is not open for evaluations.");
        }

        var units = (await FeedbackFigures.RegisteredAsync(db, communityId, year, cancellationToken)).ToDictionary(r => r.PersonId, r => r.UnitId, StringComparer.Ordinal);
        var entries = rows.Select((row, index) => (Index: index, Member: CommunityRecordProvider.Text(row?["member"]),
            Rating: CommunityRecordProvider.Text(row?["rating"]), Comment: CommunityRecordProvider.Text(row?["comment"]))).ToList();
        var errors = new Dictionary<string, string[]>();
        foreach (var entry in entries)
        {
            if (entry.Member is null || !units.ContainsKey(entry.Member))
            {
                errors[$"evaluations[{entry.Index}].member"] = [$"'{entry.Member}' is not an in-service member registered with this community in {year}."];
            }
            else if (entry.Rating is null || !EvaluationRating.All.Contains(entry.Rating))
            {
                errors[$"evaluations[{entry.Index}].rating"] = [$"The evaluation is one of: {string.Join(", ", EvaluationRating.All)}."];
            }
        }

        if (errors.Count > 0)
        {
            throw new StepRefusedException(context.Instance.Id, new Refusal(RefusalCode.InvalidInput, errors.First().Value[0], errors));
        }

        var savedBy = CommunityRecordProvider.Text(values["savedBy"]) ?? context.Instance.InitiatorId;
        var named = entries.Select(e => e.Member!).ToList();
        var existing = await db.Set<InServiceEvaluation>()
            .Where(e => e.CommunityId == communityId && e.Year == year && named.Contains(e.PersonId))
            .ToDictionaryAsync(e => e.PersonId, StringComparer.Ordinal, cancellationToken);
        foreach (var entry in entries)
        {
            if (!existing.TryGetValue(entry.Member!, out var evaluation))
            {
                evaluation = new InServiceEvaluation
                {
                    CommunityId = communityId, Year = year, PersonId = entry.Member!, UnitId = units[entry.Member!], Rating = entry.Rating!,
                    InstanceId = context.Instance.Id, SavedBy = savedBy, SavedAt = context.Now,
                };
                existing[entry.Member!] = evaluation;
                db.Set<InServiceEvaluation>().Add(evaluation);
            }

            (evaluation.UnitId, evaluation.Rating, evaluation.Comment, evaluation.SavedBy, evaluation.SavedAt) =
                (units[entry.Member!], entry.Rating!, entry.Comment, savedBy, context.Now);
        }

        return entries.Count;
    }
}
