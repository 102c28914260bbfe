using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Features.InService;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Persistence.InService.Feedback;
using WorkflowHost.Web;

namespace WorkflowHost.Pages.InService;

/// <summary>The in-service member's own page, phone first: registration, posts and wishes to claim, their claims and hours.</summary>
public sealed class IndexModel(InServiceRecords records, ServiceDesk desk, FeedbackReader feedback) : WebPageModel
{
    public MemberRecord Record { get; private set; } = null!;

    public Guid? Pending { get; private set; }

    /// <summary>The community's annual feedback on the member: evaluation, comment, letter number, newest year first.</summary>
    public IReadOnlyList<MemberFeedback> Feedback { get; private set; } = [];

    public IReadOnlyList<OfferRow> Offers { get; private set; } = [];

    public string? Notice { get; private set; }

    public string? Error { get; private set; }

    public override string Title => T.InServiceService;

    public async Task<IActionResult> OnGetAsync(bool claimed, CancellationToken cancellationToken)
    {
        if (!InServiceAccess.IsMember(Me))
        {
            return NotFound();
        }

        Notice = claimed ? T.Claimed : null;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostClaimAsync(Guid offer)
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!InServiceAccess.IsMember(Me))
        {
            return NotFound();
        }

        var result = await desk.ClaimAsync(Me.CommunityId, offer, Me.PersonId, cancellationToken);
        if (result.Succeeded)
        {
            return Redirect("/in-service?claimed=true");
        }

        if (result.Outcome == DeskOutcome.NotFound)
        {
            return NotFound();
        }

        Error = result.Outcome switch
        {
            DeskOutcome.Full => T.ClaimFull,
            DeskOutcome.AlreadyClaimed => T.ClaimAlready,
            DeskOutcome.NotRegistered => T.ClaimNeedsRegistration,
            _ => T.ClaimPastDue,
        };
        await LoadAsync(cancellationToken);
        return RefusedPage(CommandAnswer.From(InServiceEndpoints.Refusal(result)).Status);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Record = (await records.MemberAsync(Me.CommunityId, Me.PersonId, cancellationToken))!;
        Pending = await records.PendingRegistrationAsync(Me.CommunityId, Me.PersonId, cancellationToken);
        Offers = await records.OpenOffersAsync(Me.CommunityId, cancellationToken);
        Feedback = await feedback.OfMemberAsync(Me.CommunityId, Me.PersonId, cancellationToken);
    }
}
