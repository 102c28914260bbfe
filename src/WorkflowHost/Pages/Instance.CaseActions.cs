using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Instances;
using WorkflowHost.Features.Tasks;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// The instance page's case actions: the unit withdraws (撤回) with a reason, participants comment; and what the file
/// went through: its amendments, field by field. Checked by the API's validators, run through <see cref="StepCommands"/>.
/// </summary>
public sealed partial class InstanceModel
{
    public IReadOnlyList<CommentView> Comments { get; private set; } = [];

    public CommentsPanel CommentsPanel => WithCommentFiles(new(Comments, CanComment, FieldError("text"), T, Time, StepNames.For(Instance, T)));

    public InstanceState State { get; private set; } = null!;

    public string? Error { get; private set; }

    public IReadOnlyDictionary<string, string[]> FieldErrors { get; private set; } = new Dictionary<string, string[]>();

    public bool CanComment => Access.MayComment(Me) && Instance.Status == "running"
        && (Instance.Initiator.Id == Me.PersonId || (Definition?.CommentableBy.Any(Me.Has) ?? false)
            || Instance.CurrentSteps.Any(s => s.Task?.CanComplete == true || s.Ballot?.MyStatus is not null));

    public JsonObject? CommunityRecord => Me.SeesBallotDetail ? CommunityRecords.Of(Definition, State) : null;

    public async Task<IActionResult> OnPostWithdrawAsync(Guid id, string? reason)
    {
        // The API takes the reason as optional; the page asks for it, because the committee and the office read it.
        var request = new WithdrawRequest(reason?.Trim());
        if (string.IsNullOrEmpty(request.Reason))
        {
            return await RefuseAsync(id, "reason", T.FixErrors);
        }

        return await ValidateAsync(id, request) ?? await ActAsync(id, new Withdraw(Me.PersonId, request.Reason));
    }

    public async Task<IActionResult> OnPostCommentAsync(Guid id, string? text)
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
            return await RefuseAsync(id, "files", T.FixErrors);
        }

        var request = new CommentRequest(text?.Trim(), null, files.Count > 0 ? files : null);
        return await ValidateAsync(id, request) ?? await ActAsync(id, new AddComment(Me.PersonId, request.Text!, Files: request.Files));
    }

    public string? FieldError(string field) => FieldErrors.TryGetValue(field, out var e) ? e.FirstOrDefault() : null;

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await reader.GetWithDefinitionAsync(Me, id, cancellationToken) is not { } read)
        {
            return false;
        }

        (Instance, Definition, State) = (read.View, read.Definition, read.State);
        Comments = await reader.CommentsAsync(Me, id, cancellationToken) ?? [];
        await LoadAttachmentsAsync(id, cancellationToken);
        await LoadMovesAsync(id, cancellationToken);
        return true;
    }

    private async Task<IActionResult> ActAsync(Guid id, Stimulus stimulus)
    {
        var commands = HttpContext.RequestServices.GetRequiredService<StepCommands>();
        var answer = CommandAnswer.From(await commands.RunAsync(HttpContext, Me, id, stimulus));
        return answer.Succeeded
            ? Redirect($"/instances/{id}")
            : await RefuseAsync(id, answer.Errors.Keys.FirstOrDefault(), T.Refused + T.CaseRefusalText(answer.Code), status: answer.Status);
    }

    private async Task<IActionResult?> ValidateAsync<TRequest>(Guid id, TRequest request)
    {
        var validation = await HttpContext.RequestServices.GetRequiredService<IValidator<TRequest>>().ValidateAsync(request, HttpContext.RequestAborted);
        return validation.IsValid
            ? null
            : await RefuseAsync(id, char.ToLowerInvariant(validation.Errors[0].PropertyName[0]) + validation.Errors[0].PropertyName[1..], T.FixErrors);
    }

    /// <summary>
    /// The page again with the error above and, next to <paramref name="field"/>, what is wrong with it (by default that
    /// it is required), answering the API's <paramref name="status"/> for the same refusal (400 for a form the validator refused).
    /// </summary>
    private async Task<IActionResult> RefuseAsync(Guid id, string? field, string error, string? fieldError = null, int status = StatusCodes.Status400BadRequest)
    {
        Error = error;
        FieldErrors = field is null ? new Dictionary<string, string[]>() : new Dictionary<string, string[]> { [field] = [fieldError ?? T.FieldRequired] };
        return await LoadAsync(id, HttpContext.RequestAborted) ? RefusedPage(status) : NotFound();
    }
}
