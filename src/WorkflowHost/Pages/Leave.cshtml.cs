using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Time;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Features.Instances;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Participants;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// 请假与代理: the reader's own leave and deputy, the page of <c>/api/account/absence</c>. Checked by the API's validator
/// and stored by the same <see cref="AbsenceStore"/>, so the page allows exactly what the API does.
/// </summary>
public sealed class LeaveModel(AbsenceStore store, IValidator<AbsenceRequest> validator, IDbContextFactory<WorkflowDbContext> contexts,
    IWorkingCalendar calendar, TimeProvider time) : WebPageModel
{
    public Absence? Current { get; private set; }

    public IReadOnlyList<PersonRef> Colleagues { get; private set; } = [];

    public bool Saved { get; private set; }

    public string? Error { get; private set; }

    public override string Title => T.LeaveTitle;

    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), calendar.TimeZone).DateTime);

    public async Task OnGetAsync(bool saved, CancellationToken cancellationToken)
    {
        Saved = saved;
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(DateOnly? firstDay, DateOnly? lastDay, string? deputy, CancellationToken cancellationToken)
    {
        var request = new AbsenceRequest(firstDay, lastDay, string.IsNullOrWhiteSpace(deputy) ? null : deputy.Trim());
        var validation = await validator.ValidateAsync(request, cancellationToken);
        var refusal = validation.IsValid
            ? await store.SetAsync(Me.CommunityId, Me.PersonId, new AbsenceChange(firstDay!.Value, lastDay!.Value, request.Deputy), Today, cancellationToken)
            : new AbsenceRefusal("", validation.Errors[0].ErrorMessage);
        if (refusal is null)
        {
            // As the API does: a leave starting today moves the tasks already open (decision 132).
            await HttpContext.RequestServices.GetRequiredService<LeaveRouting>().ApplyAsync(Me.PersonId, cancellationToken);
            return Redirect("/preferences/leave?saved=true");
        }

        Error = T.Refused + T.LeaveRefused(refusal.Field);
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostClearAsync(CancellationToken cancellationToken)
    {
        await store.ClearAsync(Me.CommunityId, Me.PersonId, cancellationToken);
        return Redirect("/preferences/leave?saved=true");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Current = await store.GetAsync(Me.PersonId, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var me = Me.PersonId;
        var community = Me.CommunityId;
        var english = T.En;
        Colleagues = await db.People.AsNoTracking()
            .Where(p => p.CommunityId == community && p.Id != me && p.Roles.Any())
            .OrderBy(p => p.Id)
            .Select(p => new PersonRef(p.Id, english ? p.NameEn : p.NameZh))
            .ToListAsync(cancellationToken);
    }
}
