using WorkflowHost.Api;
using WorkflowHost.Persistence.InService.Feedback;

namespace WorkflowHost.Features.InService.Feedback;

/// <summary>
/// 年度反馈: the office's review of a year and its evaluations, the feedback letters (the office reads all, a unit's liaison
/// their own unit's: another unit's letter is 404), and a member's own feedback.
/// </summary>
internal static class FeedbackEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/reviews/{year:int}", ReviewAsync)
            .WithName("GetInServiceReview")
            .WithSummary("A year's review of the registered in-service members: each member's hours, posts, wishes, activities, evaluation and letter")
            .Produces<ReviewView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/reviews/{year:int}/evaluations", (int year, Body<SaveReviewRequest> body, Caller caller, HttpContext http, ReviewCommands commands) =>
                commands.SaveAsync(http, caller, year, body.Value))
            .Accepts<SaveReviewRequest>("application/json")
            .WithName("SaveInServiceEvaluations")
            .WithSummary("The office saves evaluations (all or nothing), or with issue true saves them and issues the feedback letters")
            .WithDescription("Completes the review's open office task (outcome save or issue). Errors are keyed evaluations[i].member, .rating, .comment. Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/letters", LettersAsync)
            .WithName("ListFeedbackLetters")
            .WithSummary("Feedback letters (反馈函), newest first: the office reads the community's, a unit's liaison their own unit's")
            .Produces<IReadOnlyList<LetterSummary>>()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/letters/{number}", LetterAsync)
            .WithName("GetFeedbackLetter")
            .WithSummary("One feedback letter as issued; another unit's letter answers 404")
            .Produces<FeedbackLetter>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/feedback", MineAsync)
            .WithName("GetMyInServiceFeedback")
            .WithSummary("The signed-in member's feedback: each year's evaluation, comment and letter number")
            .Produces<IReadOnlyList<MemberFeedback>>()
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> ReviewAsync(int year, Caller caller, FeedbackReader reader, CancellationToken cancellationToken) =>
        !InServiceAccess.IsOffice(caller) ? Problems.Forbidden("The annual review is kept by the office.")
        : await reader.ReviewAsync(caller.CommunityId, year, cancellationToken) is { } sheet ? Results.Ok(ReviewView.Of(sheet))
        : Problems.NotFound($"There is no {year} review of in-service members in this community.");

    private static async Task<IResult> LettersAsync(Caller caller, FeedbackReader reader, CancellationToken cancellationToken) =>
        LetterScope(caller) is not { } scope ? Problems.Forbidden("Feedback letters are read by the office and by the units' liaisons.")
        : Results.Ok(await reader.LettersAsync(caller.CommunityId, scope.Unit, cancellationToken));

    private static async Task<IResult> LetterAsync(string number, Caller caller, FeedbackReader reader, CancellationToken cancellationToken) =>
        LetterScope(caller) is not { } scope ? Problems.Forbidden("Feedback letters are read by the office and by the units' liaisons.")
        : await reader.LetterAsync(caller.CommunityId, number, scope.Unit, cancellationToken) is { } letter ? Results.Ok(letter)
        : Problems.NotFound($"There is no feedback letter {number} for you.");

    private static async Task<IResult> MineAsync(Caller caller, FeedbackReader reader, CancellationToken cancellationToken) =>
        !InServiceAccess.IsMember(caller) ? Problems.Forbidden("Only in-service party members receive feedback.")
        : Results.Ok(await reader.OfMemberAsync(caller.CommunityId, caller.PersonId, cancellationToken));

    /// <summary>The office reads every letter of the community; a liaison only their unit's (Unit set); anyone else none (null).</summary>
    internal static LetterReader? LetterScope(Caller caller) =>
        InServiceAccess.IsOffice(caller) ? new LetterReader(null)
        : caller.LiaisonOfUnit is { } unit ? new LetterReader(unit)
        : null;

    internal sealed record LetterReader(string? Unit);
}
