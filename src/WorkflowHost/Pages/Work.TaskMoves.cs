using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Instances;
using WorkflowHost.Features.Tasks;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Pages;

/// <summary>
/// The task page's moves between people: claim (认领), release (释放), transfer (转交), delegate (委派) and hand back. Each
/// request is checked by the API's own validator and run through <see cref="StepCommands"/>, as the other case actions are.
/// </summary>
public sealed partial class WorkModel
{
    /// <summary>The people the task can be transferred to: those it is offered to, other than the reader.</summary>
    public IReadOnlyList<PersonRef> TransferCandidates { get; private set; } = [];

    /// <summary>The colleagues the reader can ask to prepare the task: people sharing a role or a unit with them.</summary>
    public IReadOnlyList<PersonRef> DelegateCandidates { get; private set; } = [];

    /// <summary>What colleagues prepared for this task (委派), shown to whoever completes it.</summary>
    public IReadOnlyList<(string By, string Note)> PreparedNotes =>
        State?.Variables[Step.Activity]?["prepared"] is JsonArray prepared
            ? [.. prepared.OfType<JsonObject>().Where(p => p["bookmark"]?.GetValue<string>() == Step.StepId)
                .Select(p => (Name(p["by"]!.GetValue<string>()), p["note"]!.GetValue<string>()))]
            : [];

    /// <summary>The ballot's voters on leave today or later, with their last day, as the API shows them: so the secretary can judge the quorum.</summary>
    public IReadOnlyList<(string Name, DateOnly Until)> VotersAway =>
        [.. Step?.Ballot?.VotersAway?.Select(v => (v.Person.Name ?? v.Person.Id, v.Until)) ?? []];

    public async Task<IActionResult> OnPostOpinionAsync(Guid id, string stepId, string? text)
    {
        var request = new Features.Ballots.WrittenOpinionRequest(Blank(text));
        return await ValidateAsync(id, stepId, request) ?? await MoveAsync(id, stepId, new LeaveWrittenOpinion(stepId, Me.PersonId, request.Text!));
    }

    public Task<IActionResult> OnPostClaimAsync(Guid id, string stepId) => MoveAsync(id, stepId, new ClaimTask(stepId, Me.PersonId));

    public async Task<IActionResult> OnPostReleaseAsync(Guid id, string stepId, string? reason)
    {
        var request = new ReleaseTaskRequest(Blank(reason));
        return await ValidateAsync(id, stepId, request) ?? await MoveAsync(id, stepId, new ReleaseTask(stepId, Me.PersonId, request.Reason));
    }

    public async Task<IActionResult> OnPostTransferAsync(Guid id, string stepId, string? to, string? reason)
    {
        var request = new TransferTaskRequest(Blank(to), Blank(reason));
        return await ValidateAsync(id, stepId, request) ?? await MoveAsync(id, stepId, new TransferTask(stepId, Me.PersonId, request.To!, request.Reason!));
    }

    public async Task<IActionResult> OnPostDelegateAsync(Guid id, string stepId, string? to, string? note)
    {
        var request = new DelegateTaskRequest(Blank(to), Blank(note));
        return await ValidateAsync(id, stepId, request) ?? await MoveAsync(id, stepId, new DelegateTask(stepId, Me.PersonId, request.To!, request.Note));
    }

    public async Task<IActionResult> OnPostReturnTaskAsync(Guid id, string stepId, string? note)
    {
        var request = new ReturnTaskRequest(Blank(note));
        return await ValidateAsync(id, stepId, request) ?? await MoveAsync(id, stepId, new ReturnDelegatedTask(stepId, Me.PersonId, request.Note!));
    }

    /// <summary>
    /// After a transfer the task is no longer the reader's: back to the inbox, with the saved notice there. Other moves
    /// stay on the task.
    /// </summary>
    private async Task<IActionResult> MoveAsync(Guid id, string stepId, Stimulus move)
    {
        var answer = Web.CommandAnswer.From(await commands.RunAsync(HttpContext, Me, id, move));
        if (answer.Succeeded)
        {
            return Redirect($"/work/{id}/{Uri.EscapeDataString(stepId)}?saved=true");
        }

        Error = T.Refused + T.TaskMoveRefusalText(answer.Code);
        FieldErrors = answer.Errors.ToDictionary(e => e.Key, _ => new[] { T.FieldRequired });
        return await RefusedPageAsync(id, stepId, answer.Status);
    }

    /// <summary>Reads the people the transfer and delegate forms offer, only when the reader can make those moves.</summary>
    private async Task LoadMoveCandidatesAsync(CancellationToken cancellationToken)
    {
        if (Step?.Links?.Moves is not { } moves || (moves.Transfer is null && moves.Delegate is null) || Step.Task is not { } task)
        {
            return;
        }

        var contexts = HttpContext.RequestServices.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var me = Me.PersonId;
        var community = Me.CommunityId;
        var myRoles = Me.Roles.ToList();
        var people = await db.People.AsNoTracking()
            .Where(p => p.CommunityId == community && p.Id != me)
            .Select(p => new { p.Id, Name = T.En ? p.NameEn : p.NameZh, p.UnitId, Roles = p.Roles.Select(r => r.Role).ToList() })
            .ToListAsync(cancellationToken);
        if (moves.Transfer is not null)
        {
            TransferCandidates = [.. people.Where(p => task.AssigneeKind switch
                {
                    AssigneeKind.Role => p.Roles.Contains(task.Assignee),
                    AssigneeKind.Unit => p.UnitId == task.Assignee && p.Roles.Contains(RoleNames.UnitLiaison),
                    _ => false,
                })
                .Select(p => new PersonRef(p.Id, p.Name))];
        }

        if (moves.Delegate is not null)
        {
            DelegateCandidates = [.. people.Where(p => (Me.LiaisonOfUnit is { } unit && p.UnitId == unit) || p.Roles.Any(myRoles.Contains))
                .Select(p => new PersonRef(p.Id, p.Name))];
        }
    }

    private string Name(string personId) =>
        Instance.CurrentSteps.Select(s => s.Task?.Holder).Concat(Instance.CurrentSteps.Select(s => s.Task?.Delegate))
            .FirstOrDefault(p => p?.Id == personId)?.Name
        ?? TransferCandidates.Concat(DelegateCandidates).FirstOrDefault(p => p.Id == personId)?.Name
        ?? personId;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
