using System.Text.Json.Nodes;
using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.InService.Feedback;

namespace WorkflowHost.Features.InService.Feedback;

/// <summary>
/// Saves the office's evaluations by completing the review's open task (<c>save</c>, or <c>issue</c> for the letters) through
/// <see cref="StepCommands"/>, so the page and the API act exactly as any task completion does: the engine checks the form
/// (all or nothing, errors by field), the journal records it, a refusal changes nothing.
/// </summary>
public sealed class ReviewCommands(FeedbackReader reader, StepCommands steps)
{
    public const string SaveOutcome = "save";
    public const string IssueOutcome = "issue";

    public static bool MayEvaluate(Caller caller) => caller.Has(RoleNames.Office);

    public async Task<IResult> SaveAsync(HttpContext http, Caller caller, int year, SaveReviewRequest request)
    {
        if (!MayEvaluate(caller))
        {
            return Problems.Forbidden("The office evaluates the in-service members' year.");
        }

        var sheet = await reader.ReviewAsync(caller.CommunityId, year, http.RequestAborted);
        if (sheet is null)
        {
            return Problems.NotFound($"There is no {year} review of in-service members in this community.");
        }

        if (sheet.OpenStep is not { } step)
        {
            return Problems.Conflict("reviewClosed", $"The {year} feedback letters are issued; the review is closed.");
        }

        var evaluations = new JsonArray([.. (request.Evaluations ?? []).Select(e => (JsonNode)new JsonObject
        {
            ["member"] = e.Member, ["rating"] = e.Rating, ["comment"] = string.IsNullOrWhiteSpace(e.Comment) ? null : e.Comment.Trim(),
        })]);
        var outcome = request.Issue == true ? IssueOutcome : SaveOutcome;
        return await steps.RunAsync(http, caller, sheet.InstanceId,
            new CompleteTask(step, caller.PersonId, outcome, null, Data: new JsonObject { ["evaluations"] = evaluations }), optionField: "outcome");
    }
}
