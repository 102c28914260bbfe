using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WorkflowHost.Features.InService;
using WorkflowHost.Features.InService.Feedback;
using WorkflowHost.Persistence.InService.Feedback;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.InService;

/// <summary>
/// The office's annual review (年度评定): each registered member's year with an evaluation and a comment, saved all or
/// nothing, then the feedback letters issued. Saving completes the review's task through <see cref="ReviewCommands"/>, as the
/// API does; errors come back by member and field and are shown next to the field, with what was typed kept.
/// </summary>
public sealed class ReviewModel(FeedbackReader reader, ReviewCommands commands, IValidator<SaveReviewRequest> rules) : WebPageModel
{
    public ReviewSheet? Sheet { get; private set; }

    public IReadOnlyList<int> Years { get; private set; } = [];

    /// <summary>What the form shows per member: as saved, or as typed when a submission was refused.</summary>
    public Dictionary<string, ReviewRow> Typed { get; } = new(StringComparer.Ordinal);

    /// <summary>Errors by member and field (<c>rating</c>, <c>comment</c>, <c>member</c>); general ones under "".</summary>
    public Dictionary<(string Member, string Field), string> Errors { get; } = [];

    public List<string> GeneralErrors { get; } = [];

    public string? Notice { get; private set; }

    [BindProperty]
    public List<ReviewRow> Rows { get; set; } = [];

    public override string Title => Sheet is null ? T.AnnualReview : T.AnnualReviewOf(Sheet.Year);

    public bool MayEvaluate => ReviewCommands.MayEvaluate(Me);

    public async Task<IActionResult> OnGetAsync(int? year, bool saved, bool issued, CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsOffice(Me))
        {
            return NotFound();
        }

        Notice = issued ? T.LettersIssued : saved ? T.EvaluationsSaved : null;
        return await ShowAsync(year, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(int year, bool issue)
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!InServiceAccess.IsOffice(Me))
        {
            return NotFound();
        }

        foreach (var row in Rows.Where(r => r.Member is not null))
        {
            Typed[row.Member!] = row;
        }

        // A draft leaves members not yet evaluated out; issuing sends everyone, so a missing evaluation shows by the member.
        var sent = Rows.Where(r => issue || !string.IsNullOrWhiteSpace(r.Rating) || !string.IsNullOrWhiteSpace(r.Comment)).ToList();
        var request = new SaveReviewRequest([.. sent.Select(r => new EvaluationEntry(r.Member, NullIfBlank(r.Rating), NullIfBlank(r.Comment)))], issue);
        var validation = await rules.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            foreach (var error in validation.Errors)
            {
                Place(sent, error.PropertyName, error.ErrorMessage);
            }

            return await RefusedAsync(year, cancellationToken);
        }

        var answer = CommandAnswer.From(await commands.SaveAsync(HttpContext, Me, year, request));
        if (answer.Succeeded)
        {
            return Redirect($"/in-service/office/review?year={year}&{(issue ? "issued" : "saved")}=true");
        }

        if (answer.Code == "notFound")
        {
            return NotFound();
        }

        foreach (var (key, messages) in answer.Errors)
        {
            Place(sent, key, messages[0]);
        }

        if (answer.Errors.Count == 0)
        {
            GeneralErrors.Add(answer.Code == "reviewClosed" ? T.ReviewClosed("") : T.ReviewRefused);
        }

        return await RefusedAsync(year, cancellationToken, answer.Status);
    }

    public string? ErrorFor(string member, string field) => Errors.GetValueOrDefault((member, field));

    /// <summary>Puts an error keyed <c>evaluations[i].field</c> (either spelling) next to the i-th member sent; anything else on top.</summary>
    private void Place(List<ReviewRow> sent, string key, string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(key, @"^[Ee]valuations\[(\d+)\]\.(\w+)$");
        if (match.Success && int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var index && index < sent.Count && sent[index].Member is { } member)
        {
            var field = match.Groups[2].Value.ToLowerInvariant();
            Errors[(member, field)] = field switch
            {
                "rating" => T.EvaluationRequired,
                "comment" => T.CommentTooLong,
                _ => message,
            };
        }
        else
        {
            GeneralErrors.Add(message);
        }
    }

    /// <summary>
    /// The sheet again with the errors and what was typed, answering the API's status for the same refusal: 400 for a form
    /// the validator or the engine refuses, 403 for the secretary (who reads but does not evaluate), 409 once issued.
    /// </summary>
    private async Task<IActionResult> RefusedAsync(int year, CancellationToken cancellationToken, int status = StatusCodes.Status400BadRequest)
    {
        GeneralErrors.Insert(0, T.ReviewRefused);
        return await ShowAsync(year, cancellationToken) is PageResult ? RefusedPage(status) : NotFound();
    }

    private async Task<IActionResult> ShowAsync(int? year, CancellationToken cancellationToken)
    {
        Years = await reader.ReviewYearsAsync(Me.CommunityId, cancellationToken);
        Sheet = await reader.ReviewAsync(Me.CommunityId, year, cancellationToken);
        if (year is not null && Sheet is null)
        {
            return NotFound();
        }

        foreach (var member in Sheet?.Members ?? [])
        {
            Typed.TryAdd(member.PersonId, new ReviewRow { Member = member.PersonId, Rating = member.Rating, Comment = member.Comment });
        }

        return Page();
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>One member's line of the review form.</summary>
public sealed class ReviewRow
{
    public string? Member { get; set; }

    public string? Rating { get; set; }

    public string? Comment { get; set; }
}
