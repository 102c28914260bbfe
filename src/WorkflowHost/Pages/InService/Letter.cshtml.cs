using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Features.InService.Feedback;
using WorkflowHost.Persistence.InService.Feedback;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.InService;

/// <summary>One feedback letter, printable: the office reads any of the community's, a unit's liaison only their unit's (else 404).</summary>
public sealed class LetterModel(FeedbackReader reader) : WebPageModel
{
    public FeedbackLetter Letter { get; private set; } = null!;

    public override string Title => Letter is null ? T.FeedbackLetters : $"{T.FeedbackLetters} {Letter.Number}";

    public string Back => Me.LiaisonOfUnit is not null && !Features.InService.InServiceAccess.IsOffice(Me) ? "/in-service/unit" : $"/instances/{Letter.InstanceId}";

    public async Task<IActionResult> OnGetAsync(string number, CancellationToken cancellationToken)
    {
        if (FeedbackEndpoints.LetterScope(Me) is not { } scope
            || await reader.LetterAsync(Me.CommunityId, number, scope.Unit, cancellationToken) is not { } letter)
        {
            return NotFound();
        }

        Letter = letter;
        return Page();
    }
}
