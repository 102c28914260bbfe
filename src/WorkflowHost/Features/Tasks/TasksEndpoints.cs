using WorkflowHost.Engine.Time;
using System.Text.Json.Nodes;
using FluentValidation;
using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Features.Tasks;

/// <summary>
/// Complete a task with one of its outcomes. <c>Data</c> fills the task's own form (an agenda's date and place, a
/// resolution and its actions), checked against the fields the step declares; <c>Input</c> carries changed start-form
/// fields on an amendment step (退回补充).
/// </summary>
public sealed record CompleteTaskRequest(string? Outcome, string? Comment, JsonObject? Input, JsonObject? Data = null);

/// <param name="Files">Attachment ids (from POST /api/attachments), when the process takes files on comments (<c>commentFiles</c>).</param>
public sealed record CommentRequest(string? Text, string? Step, IReadOnlyList<Guid>? Files = null);

/// <summary>Move a deadline: to a new time, or by a number of working days (exactly one), with the reason.</summary>
public sealed record ExtendDeadlineRequest(DateTimeOffset? DueAt, int? ExtendByWorkingDays, string? Reason);

internal sealed class CompleteTaskRequestValidator : AbstractValidator<CompleteTaskRequest>
{
    public CompleteTaskRequestValidator()
    {
        RuleFor(r => r.Outcome).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Comment).MaximumLength(2000);
    }
}

internal sealed class CommentRequestValidator : AbstractValidator<CommentRequest>
{
    public CommentRequestValidator()
    {
        RuleFor(r => r.Text).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.Step).MaximumLength(80);

        // The definition's commentFiles decides how many a comment takes (checked by the engine); this only bounds the request.
        RuleFor(r => r.Files!.Count).LessThanOrEqualTo(Engine.Definitions.InputFieldLimits.MaxFiles).OverridePropertyName("files")
            .When(r => r.Files is not null);
    }
}

internal sealed class ExtendDeadlineRequestValidator : AbstractValidator<ExtendDeadlineRequest>
{
    public ExtendDeadlineRequestValidator(TimeProvider time)
    {
        RuleFor(r => r.DueAt).NotNull().When(r => r.ExtendByWorkingDays is null).WithMessage("Give 'dueAt' or 'extendByWorkingDays'.");
        RuleFor(r => r.DueAt).Null().When(r => r.ExtendByWorkingDays is not null).WithMessage("Give 'dueAt' or 'extendByWorkingDays', not both.");
        RuleFor(r => r.DueAt).Must(d => d > time.GetUtcNow()).When(r => r.DueAt is not null).WithMessage("'dueAt' must be in the future.");
        RuleFor(r => r.ExtendByWorkingDays).InclusiveBetween(1, 250);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }
}

/// <summary>Tasks (complete), comments on an instance or a step, and the secretary's deadline extension on any open step.</summary>
internal static class TasksEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var steps = api.MapGroup("/instances/{id:guid}").WithTags("Tasks");

        steps.MapPost("/steps/{stepId}/complete", (Guid id, string stepId, Body<CompleteTaskRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new CompleteTask(stepId, caller.PersonId, body.Value.Outcome!, body.Value.Comment, body.Value.Input, body.Value.Data), optionField: "outcome"))
            .Accepts<CompleteTaskRequest>("application/json")
            .WithName("CompleteTask")
            .WithSummary("Complete a task with an outcome and a comment")
            .WithDescription("stepId is the step's id from the instance (e.g. office-check#1, sent URL-encoded as office-check%231). Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

        steps.MapPost("/comments", async (Guid id, Body<CommentRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                Access.MayComment(caller)
                    ? await commands.RunAsync(http, caller, id, new AddComment(caller.PersonId, body.Value.Text!.Trim(), body.Value.Step, body.Value.Files))
                    : Problems.Forbidden("An administrator does not take part in the discussion."))
            .Accepts<CommentRequest>("application/json")
            .WithName("AddComment")
            .WithSummary("Comment on an instance, or on one of its open steps")
            .WithDescription("The comment is journaled and appears in the timeline. Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

        steps.MapPost("/steps/{stepId}/deadline", (Guid id, string stepId, Body<ExtendDeadlineRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new ExtendDeadline(stepId, caller.PersonId, body.Value.Reason!,
                    By: body.Value.ExtendByWorkingDays is { } days ? new DurationSpec { WorkingDays = days } : null,
                    Until: body.Value.DueAt)))
            .Accepts<ExtendDeadlineRequest>("application/json")
            .WithName("ExtendDeadline")
            .WithSummary("Extend the deadline of an open task or ballot (secretary)")
            .Produces<CommandResponse>()
            .ProducesStepProblems();
    }
}
