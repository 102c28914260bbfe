using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Api;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Collections;
using WorkflowHost.Features.Instances;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// One collection window (活动认领/报名): the pledge ledger with the facility hours each pledge holds, a unit's pledge
/// form (the step's own fields) and the retraction of its own pledges, through the same commands as
/// <c>POST …/contributions</c> and <c>…/contributions/{index}/retract</c>. A facility already booked for overlapping
/// hours is refused by the store; the page says so next to the facility.
/// </summary>
public sealed class PledgesModel(
    InstanceReader reader, ActivityRecords records, StepCommands commands, DefinitionCatalog catalog,
    IValidator<ContributeRequest> contributeRules, IValidator<RetractContributionRequest> retractRules) : WebPageModel
{
    /// <summary>Form names of the pledge's fields; the engine's error keys are the bare names.</summary>
    public const string ItemPrefix = "item.";

    public InstanceView Instance { get; private set; } = null!;

    public StepView Step { get; private set; } = null!;

    public CollectActivity Window { get; private set; } = null!;

    public WorkflowDefinition? Definition { get; private set; }

    public IReadOnlyList<PledgeView> Pledges { get; private set; } = [];

    public bool MayPledge => Step.Links?.Contribute is not null && Me.Has(Window.Contributors.Role ?? RoleNames.UnitLiaison);

    public string? Error { get; private set; }

    public bool Saved { get; private set; }

    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    public override string Title => T.Pledges;

    public async Task<IActionResult> OnGetAsync(Guid id, string stepId, bool saved, CancellationToken cancellationToken)
    {
        Saved = saved;
        return await LoadAsync(id, stepId, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostPledgeAsync(Guid id, string stepId)
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!await LoadAsync(id, stepId, cancellationToken))
        {
            return NotFound();
        }

        var item = FormFields.Read(Window.Fields, Request.Form, ItemPrefix, Values);
        var request = new ContributeRequest(item);
        if (!(await contributeRules.ValidateAsync(request, cancellationToken)).IsValid)
        {
            return await RefusedAsync(id, stepId, T.FixErrors);
        }

        var answer = CommandAnswer.From(await commands.RunAsync(HttpContext, Me, id, new Contribute(Step.StepId, Me.PersonId, request.Item!)));
        if (answer.Succeeded)
        {
            return Redirect($"/activities/{id}/{Uri.EscapeDataString(Step.StepId)}/pledges?saved=true");
        }

        foreach (var key in answer.Errors.Keys)
        {
            var field = key.StartsWith(ItemPrefix, StringComparison.Ordinal) ? key : ItemPrefix + key;
            FieldErrors.TryAdd(field, field == ItemPrefix + "facility" ? T.FacilityTaken : T.FieldRequired);
        }

        var facilityRefused = FieldErrors.ContainsKey(ItemPrefix + "facility");
        return await RefusedAsync(id, stepId, facilityRefused ? T.Refused + T.FacilityTaken : T.Refused + T.RefusalText(answer.Code), answer.Status);
    }

    public async Task<IActionResult> OnPostRetractAsync(Guid id, string stepId, int index, string? reason)
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!await LoadAsync(id, stepId, cancellationToken))
        {
            return NotFound();
        }

        var request = new RetractContributionRequest(string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
        if (!(await retractRules.ValidateAsync(request, cancellationToken)).IsValid)
        {
            return await RefusedAsync(id, stepId, T.Refused + T.TooLong(500));
        }

        var answer = CommandAnswer.From(await commands.RunAsync(HttpContext, Me, id, new RetractContribution(Step.StepId, Me.PersonId, index, request.Reason)));
        return answer.Succeeded
            ? Redirect($"/activities/{id}/{Uri.EscapeDataString(Step.StepId)}/pledges?saved=true")
            : await RefusedAsync(id, stepId, T.Refused + T.RefusalText(answer.Code), answer.Status);
    }

    public IReadOnlySet<string> InvalidFields => FieldErrors.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>The facility's message is the page's own (booked, or not the unit's); other fields get their type's message.</summary>
    public IReadOnlyDictionary<string, string> OwnMessages =>
        FieldErrors.Where(e => e.Key == ItemPrefix + "facility").ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    public PledgeLedgerView Ledger => new(Pledges, Definition, T, Zone, Step.Status == "open" ? Me.LiaisonOfUnit : null);

    /// <summary>
    /// The ledger again, as it stands now (a refused pledge changed nothing), with the error, answering the API's status for
    /// the same refusal: 400 for a form the validator or the engine refuses, 403 not a contributor, 409 a facility booked.
    /// </summary>
    private async Task<IActionResult> RefusedAsync(Guid id, string stepId, string error, int status = StatusCodes.Status400BadRequest)
    {
        Error = error;
        return await LoadAsync(id, stepId, HttpContext.RequestAborted) ? RefusedPage(status) : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, string stepId, CancellationToken cancellationToken)
    {
        if (await reader.GetAsync(Me, id, cancellationToken) is not { } instance)
        {
            return false;
        }

        Instance = instance;
        Definition = catalog.Current(instance.Process);
        Step = instance.CurrentSteps.Concat(instance.PastSteps).FirstOrDefault(s => s.StepId == stepId)!;
        if (Step is null || Definition?.FindActivity(Step.Activity) is not CollectActivity window)
        {
            return false;
        }

        Window = window;
        Pledges = [.. (await records.ReadAsync(Me, instance, cancellationToken)).Pledges.Where(p => p.Activity == window.Id)];
        return true;
    }

}
