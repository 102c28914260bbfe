using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Api;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;
using WorkflowHost.Features.Instances;
using WorkflowHost.Features.Tasks;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// The task page's case actions: correcting a returned file, extending a deadline, urging (催办), closing an overdue
/// ballot, commenting. Each request is checked by the API's own validator and run through <see cref="StepCommands"/>,
/// so the page allows exactly what the API does.
/// </summary>
public sealed partial class WorkModel
{
    /// <summary>Form names of the start form's fields on an amendment step; the engine's error keys are the bare names.</summary>
    public const string InputPrefix = "input.";

    public InstanceState State { get; private set; } = null!;

    public IReadOnlyList<CommentView> Comments { get; private set; } = [];

    public CommentsPanel CommentsPanel => WithCommentFiles(new(Comments, CanComment, FieldError("text"), T, Time, StepNames.For(Instance, T)));

    /// <summary>
    /// The start form, when this open step is the unit's correction of a returned file and the caller may complete it.
    /// Null-safe: a post to an unknown step reaches here before the page answers 404.
    /// </summary>
    public HumanTaskActivity? AmendForm =>
        Step is { Task.CanComplete: true } && Definition?.FindActivity(Step.Activity) is HumanTaskActivity { AmendsInput: true } task ? task : null;

    /// <summary>
    /// What the form shows: what was typed after a refusal, otherwise the file as it stands. A file field shows the ids of
    /// the files on it, each with a keep box: a kept file is posted back by id, never uploaded again.
    /// </summary>
    public IReadOnlyDictionary<string, string> AmendValues =>
        Values.Keys.Any(k => k.StartsWith(InputPrefix, StringComparison.Ordinal))
            ? Values
            : Instance.Input.Where(p => p.Value is JsonValue || (Definition is not null && Engine.Inputs.FieldKeys.IsFile(Definition.Inputs, p.Key)))
                .ToDictionary(p => InputPrefix + p.Key, p => p.Value is JsonArray files ? FileIds(files) : p.Value!.ToString(), StringComparer.Ordinal);

    private static string FileIds(JsonArray files) =>
        string.Join(',', files.Select(Engine.Inputs.AttachmentReference.IdIn).OfType<Guid>().Select(id => id.ToString("D")));

    public IReadOnlySet<string> AmendInvalidFields => FieldErrors.Keys.Select(k => InputPrefix + k).ToHashSet(StringComparer.Ordinal);

    /// <summary>The office's comment when it returned the file: the last completed check before this step.</summary>
    public string? ReturnComment => Instance.PastSteps.Where(s => s.Task?.Outcome is not null && s.OpenedAt <= Step.OpenedAt)
        .OrderByDescending(s => s.ClosedAt).FirstOrDefault()?.Task?.Comment;

    public bool CanComment => Access.MayComment(Me) && Instance.Status == "running" && IsParticipant;

    /// <summary>As the engine decides (Comments.cs): the initiator, the definition's commentableBy roles, whoever an open step is for.</summary>
    private bool IsParticipant =>
        Instance.Initiator.Id == Me.PersonId
        || (Definition?.CommentableBy.Any(Me.Has) ?? false)
        || Instance.CurrentSteps.Any(s => s.Task?.CanComplete == true || s.Ballot?.MyStatus is not null);

    /// <summary>The nominee's community record, for the committee side (the office's check, the ballot).</summary>
    public JsonObject? CommunityRecord => Me.SeesBallotDetail ? CommunityRecords.Of(Definition, State) : null;

    /// <summary>
    /// The corrected start form. A box left empty is sent as null, not left out: left out, the engine would keep the old
    /// value, so a required field emptied by mistake would pass unnoticed and an optional one could never be cleared.
    /// </summary>
    private JsonObject ReadAmendment()
    {
        var amended = FormFields.Read(Definition!.Inputs, Request.Form, InputPrefix, Values);
        foreach (var field in Definition.Inputs.Where(f => f.Type != Engine.Inputs.InputFieldType.List && !amended.ContainsKey(f.Name)))
        {
            amended[field.Name] = null;
        }

        return amended;
    }

    public async Task<IActionResult> OnPostExtendAsync(Guid id, string stepId, int? days, string? reason)
    {
        var request = new ExtendDeadlineRequest(null, days, reason?.Trim());
        return await ValidateAsync(id, stepId, request)
            ?? await ActAsync(id, stepId, new ExtendDeadline(stepId, Me.PersonId, request.Reason!, By: new DurationSpec { WorkingDays = days!.Value }));
    }

    public Task<IActionResult> OnPostUrgeAsync(Guid id, string stepId) => ActAsync(id, stepId, new UrgeStep(stepId, Me.PersonId));

    public async Task<IActionResult> OnPostCloseBallotAsync(Guid id, string stepId, string? reason)
    {
        var request = new CloseBallotRequest(reason?.Trim());
        return await ValidateAsync(id, stepId, request) ?? await ActAsync(id, stepId, new CloseOverdueBallot(stepId, Me.PersonId, request.Reason!));
    }

    public async Task<IActionResult> OnPostCommentAsync(Guid id, string stepId, string? text)
    {
        if (!Access.MayComment(Me))
        {
            return Forbid();
        }

        // The files the upload control posted (or the keep boxes, after a refusal); shown again if the comment is refused.
        var files = FormFiles.Read(Request.Form, "files");
        (_commentFileIds, _commentText) = (files?.Select(f => f.ToString("D")).ToList() ?? [], text);
        if (files is null)
        {
            return await Refuse(id, stepId, "files");
        }

        // A comment on a step that has closed goes on the instance: the step can no longer be discussed.
        var open = await LoadAsync(id, stepId, HttpContext.RequestAborted) && Step.Status == "open";
        var request = new CommentRequest(text?.Trim(), open ? stepId : null, files.Count > 0 ? files : null);
        return await ValidateAsync(id, stepId, request) ?? await ActAsync(id, stepId, new AddComment(Me.PersonId, request.Text!, request.Step, request.Files));
    }

    /// <summary>Checks a request with the API's validator; on failure the page again with the fields marked, nothing done.</summary>
    private async Task<IActionResult?> ValidateAsync<TRequest>(Guid id, string stepId, TRequest request)
    {
        var validation = await HttpContext.RequestServices.GetRequiredService<IValidator<TRequest>>().ValidateAsync(request, HttpContext.RequestAborted);
        if (validation.IsValid)
        {
            return null;
        }

        FieldErrors = validation.Errors.GroupBy(e => char.ToLowerInvariant(e.PropertyName[0]) + e.PropertyName[1..])
            .ToDictionary(g => g.Key == "extendByWorkingDays" ? "days" : g.Key, _ => new[] { T.FieldRequired });
        Error = T.FixErrors;
        return await RefusedPageAsync(id, stepId, StatusCodes.Status400BadRequest);
    }
}
