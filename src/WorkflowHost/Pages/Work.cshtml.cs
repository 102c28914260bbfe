using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Api;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Ballots;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Instances;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// One task or ballot: the file, and the forms to act on it. Reading goes through <see cref="InstanceReader"/> (so what
/// the page shows is what the API shows the same person), acting through <see cref="StepCommands"/>.
/// </summary>
public sealed partial class WorkModel(InstanceReader reader, StepCommands commands) : WebPageModel
{
    public InstanceView Instance { get; private set; } = null!;

    public StepView Step { get; private set; } = null!;

    public WorkflowDefinition? Definition { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyDictionary<string, string[]> FieldErrors { get; private set; } = new Dictionary<string, string[]>();

    public bool Saved { get; private set; }

    public override string Title => Step?.Name?.For(T.Language) ?? Step?.Activity ?? T.Details;

    public async Task<IActionResult> OnGetAsync(Guid id, string stepId, bool saved, CancellationToken cancellationToken)
    {
        Saved = saved;
        return await LoadAsync(id, stepId, cancellationToken) ? Page() : NotFound();
    }

    /// <summary>
    /// The choice and reason are read from the form, not taken as handler arguments: MVC logs a handler's arguments at
    /// Trace level, and on a secret ballot that entry would put the choice and reason in the voter's request (decision 55).
    /// </summary>
    public async Task<IActionResult> OnPostVoteAsync(Guid id, string stepId)
    {
        var form = await Request.ReadFormAsync(HttpContext.RequestAborted);
        var choice = form["choice"].ToString();
        var reason = form["reason"].ToString();
        return string.IsNullOrWhiteSpace(choice)
            ? await Refuse(id, stepId, "choice")
            : await ActAsync(id, stepId, new CastVote(stepId, Me.PersonId, choice, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()));
    }

    public Task<IActionResult> OnPostRecuseAsync(Guid id, string stepId, string? reason) =>
        string.IsNullOrWhiteSpace(reason)
            ? Refuse(id, stepId, "reason")
            : ActAsync(id, stepId, new Recuse(stepId, Me.PersonId, reason.Trim()));

    public async Task<IActionResult> OnPostCompleteAsync(Guid id, string stepId, string? outcome, string? comment)
    {
        if (string.IsNullOrWhiteSpace(outcome))
        {
            return await Refuse(id, stepId, "outcome");
        }

        // The task's own form goes with the outcomes that take it (fieldsFor); the others accept no data.
        JsonObject? data = null;
        if (await LoadAsync(id, stepId, HttpContext.RequestAborted) && TaskForm is { } form && TakesForm(form, outcome))
        {
            data = FormFields.Read(form.Fields, Request.Form, DataPrefix, Values);
        }

        // A returned file (amendsInput): the whole prefilled start form comes back; the engine keeps and journals what changed.
        var amended = AmendForm is not null ? ReadAmendment() : null;
        return await ActAsync(id, stepId, new CompleteTask(stepId, Me.PersonId, outcome, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(), AmendedInput: amended, Data: data));
    }

    /// <summary>Form names of the task's own fields; the engine's error keys are the bare names.</summary>
    public const string DataPrefix = "data.";

    /// <summary>
    /// The task's own form (an agenda's date and place, a resolution and its actions, a follow-up's report), if it has
    /// one. An item task (督办) takes its activity's form; the task that closes the rest early takes only a reason.
    /// </summary>
    public TaskFormView? TaskForm => Definition?.FindActivity(Step.Activity) switch
    {
        HumanTaskActivity { Fields.Count: > 0 } human => new TaskFormView(human.Fields, human.FieldsFor),
        TaskPerItemActivity { Fields.Count: > 0 } perItem when Step.Task?.Outcomes.All(o => o.Name != TaskPerItemActivity.CloseOutcome) == true
            => new TaskFormView(perItem.Fields, perItem.FieldsFor),
        _ => null,
    };

    public static bool TakesForm(TaskFormView task, string outcome) => task.FieldsFor is null || task.FieldsFor.Contains(outcome);

    /// <summary>What was typed into the task's form, to show it again after a refusal.</summary>
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public IReadOnlySet<string> InvalidFields => FieldErrors.Keys.Select(k => DataPrefix + k).ToHashSet(StringComparer.Ordinal);

    private async Task<IActionResult> Refuse(Guid id, string stepId, string field)
    {
        FieldErrors = new Dictionary<string, string[]> { [field] = [T.FieldRequired] };
        Error = T.FixErrors;
        return await RefusedPageAsync(id, stepId, StatusCodes.Status400BadRequest);
    }

    /// <summary>The step read again, then the page with the refusal shown, answering the API's <paramref name="status"/>.</summary>
    private async Task<IActionResult> RefusedPageAsync(Guid id, string stepId, int status) =>
        await LoadAsync(id, stepId, HttpContext.RequestAborted) ? RefusedPage(status) : NotFound();

    private async Task<IActionResult> ActAsync(Guid id, string stepId, Stimulus stimulus)
    {
        var answer = CommandAnswer.From(await commands.RunAsync(HttpContext, Me, id, stimulus, optionField: stimulus is CompleteTask ? "outcome" : "choice"));
        if (answer.Succeeded)
        {
            return Redirect($"/work/{id}/{Uri.EscapeDataString(stepId)}?saved=true");
        }

        Error = T.Refused + T.CaseRefusalText(answer.Code);
        FieldErrors = answer.Errors.ToDictionary(e => e.Key, _ => new[] { T.FieldRequired });
        return await RefusedPageAsync(id, stepId, answer.Status);
    }

    private async Task<bool> LoadAsync(Guid id, string stepId, CancellationToken cancellationToken)
    {
        if (await reader.GetWithDefinitionAsync(Me, id, cancellationToken) is not { } read)
        {
            return false;
        }

        (Instance, Definition, State) = (read.View, read.Definition, read.State);
        Step = Instance.CurrentSteps.Concat(Instance.PastSteps).FirstOrDefault(s => s.StepId == stepId)!;
        Comments = await reader.CommentsAsync(Me, id, cancellationToken) ?? [];
        await LoadAttachmentsAsync(id, cancellationToken);
        if (Step is null)
        {
            return false;
        }

        await LoadMoveCandidatesAsync(cancellationToken);
        await LoadSignersAsync(cancellationToken);
        return true;
    }

    public BallotRule Rule => (Definition?.FindActivity(Step.Activity) as BallotActivity)?.Rule ?? BallotRule.Default;

    /// <summary>The smallest count that meets a threshold out of <paramref name="total"/>, by the engine's own test.</summary>
    public static int Needed(Threshold threshold, int total)
    {
        for (var k = 0; k <= total; k++)
        {
            if (threshold.IsMetBy(k, total))
            {
                return k;
            }
        }

        return total + 1;
    }

    public string Share(Threshold threshold) => threshold.AtLeast is { } a ? T.AtLeast(a.ToString()) : T.MoreThan((threshold.MoreThan ?? Fraction.Half).ToString());

    public string OptionLabel(string? value) =>
        Step.Ballot?.Options.FirstOrDefault(o => o.Name == value)?.Label?.For(T.Language) ?? T.ResultOf(value);

    public string? FieldError(string field) => FieldErrors.TryGetValue(field, out var e) ? e.FirstOrDefault() : null;
}

/// <summary>The fields of a task's own form and the outcomes that take them (all, when <see cref="FieldsFor"/> is null).</summary>
public sealed record TaskFormView(IReadOnlyList<WorkflowHost.Engine.Inputs.InputField> Fields, IReadOnlyList<string>? FieldsFor);
