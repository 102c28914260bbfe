using FluentValidation;
using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Features.Tasks;

/// <summary>Put a claimed task back on offer, optionally saying why.</summary>
public sealed record ReleaseTaskRequest(string? Reason);

/// <summary>Pass a task to another person who may hold it, with the reason.</summary>
public sealed record TransferTaskRequest(string? To, string? Reason);

/// <summary>Ask a colleague to prepare a task, with what to prepare.</summary>
public sealed record DelegateTaskRequest(string? To, string? Note);

/// <summary>
/// 加签: whom to ask for an opinion (person ids), optionally the question, and optionally the deadline for the opinions
/// (later than now, no later than the process's <c>due</c> for them, which is the deadline when absent).
/// </summary>
public sealed record AddSignersRequest(IReadOnlyList<string>? Signers, string? Question, DateTimeOffset? DueAt = null);

internal sealed class AddSignersRequestValidator : AbstractValidator<AddSignersRequest>
{
    public AddSignersRequestValidator()
    {
        RuleFor(r => r.Signers).NotEmpty();
        RuleFor(r => r.Signers!.Count).LessThanOrEqualTo(AddSigners.MaxSigners).When(r => r.Signers is not null).OverridePropertyName("signers");
        RuleForEach(r => r.Signers).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Question).MaximumLength(TaskMoveLimits.MaxNoteLength);
    }
}

/// <summary>Hand a delegated task back to its holder with a note of what was prepared.</summary>
public sealed record ReturnTaskRequest(string? Note);

internal sealed class ReleaseTaskRequestValidator : AbstractValidator<ReleaseTaskRequest>
{
    public ReleaseTaskRequestValidator() => RuleFor(r => r.Reason).MaximumLength(TaskMoveLimits.MaxReasonLength);
}

internal sealed class TransferTaskRequestValidator : AbstractValidator<TransferTaskRequest>
{
    public TransferTaskRequestValidator()
    {
        RuleFor(r => r.To).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(TaskMoveLimits.MaxReasonLength);
    }
}

internal sealed class DelegateTaskRequestValidator : AbstractValidator<DelegateTaskRequest>
{
    public DelegateTaskRequestValidator()
    {
        RuleFor(r => r.To).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Note).MaximumLength(TaskMoveLimits.MaxNoteLength);
    }
}

internal sealed class ReturnTaskRequestValidator : AbstractValidator<ReturnTaskRequest>
{
    public ReturnTaskRequestValidator() => RuleFor(r => r.Note).NotEmpty().MaximumLength(TaskMoveLimits.MaxNoteLength);
}

/// <summary>
/// Moves of a task between people (认领、释放、转交、委派): each is a step command like completing a task, journaled by the
/// engine with who and why. 409 <c>alreadyClaimed</c> when another claim won, <c>notHolder</c> when only the holder may
/// move the task, <c>delegated</c> while a colleague prepares it; 403 when the move or its target is not allowed.
/// </summary>
internal static class TaskMovesEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var steps = api.MapGroup("/instances/{id:guid}/steps/{stepId}").WithTags("Tasks");

        steps.MapPost("/claim", (Guid id, string stepId, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new ClaimTask(stepId, caller.PersonId)))
            .WithName("ClaimTask")
            .WithSummary("Claim a task offered to your role or unit (认领); the others see who holds it")
            .WithDescription("No body. 409 alreadyClaimed when someone holds it already (the problem names them). Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

        steps.MapPost("/release", (Guid id, string stepId, Body<ReleaseTaskRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new ReleaseTask(stepId, caller.PersonId, Trimmed(body.Value.Reason))))
            .Accepts<ReleaseTaskRequest>("application/json")
            .WithName("ReleaseTask")
            .WithSummary("Put a task you hold back on offer to everyone it is offered to (释放)")
            .WithDescription("409 notHolder when you do not hold it. Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

        steps.MapPost("/transfer", (Guid id, string stepId, Body<TransferTaskRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new TransferTask(stepId, caller.PersonId, body.Value.To!.Trim(), body.Value.Reason!.Trim())))
            .Accepts<TransferTaskRequest>("application/json")
            .WithName("TransferTask")
            .WithSummary("Pass a task you hold to another person of the same role or unit, with a reason (转交); they are notified")
            .WithDescription("403 when the person may not hold the task. 409 notHolder when you do not hold it. Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

        steps.MapPost("/delegate", (Guid id, string stepId, Body<DelegateTaskRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new DelegateTask(stepId, caller.PersonId, body.Value.To!.Trim(), Trimmed(body.Value.Note))))
            .Accepts<DelegateTaskRequest>("application/json")
            .WithName("DelegateTask")
            .WithSummary("Ask a colleague to prepare a task you hold (委派); it comes back to you to complete")
            .WithDescription("409 delegated while it is already with a colleague. Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

        steps.MapPost("/return", (Guid id, string stepId, Body<ReturnTaskRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new ReturnDelegatedTask(stepId, caller.PersonId, body.Value.Note!.Trim())))
            .Accepts<ReturnTaskRequest>("application/json")
            .WithName("ReturnDelegatedTask")
            .WithSummary("Hand a task you were asked to prepare back to its holder, with a note")
            .WithDescription("403 when the task was not delegated to you. Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

        MapAddSigners(steps);
    }

    private static void MapAddSigners(RouteGroupBuilder steps) =>
        steps.MapPost("/signers", (Guid id, string stepId, Body<AddSignersRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new AddSigners(stepId, caller.PersonId, [.. body.Value.Signers!.Select(s => s.Trim())], Trimmed(body.Value.Question), body.Value.DueAt)))
            .Accepts<AddSignersRequest>("application/json")
            .WithName("AddSigners")
            .WithSummary("Ask people for an opinion before deciding a task you hold (加签), where the process allows it")
            .WithDescription("Each signer gets an opinion task (outcome 'opinion', the text in 'comment'); your task waits until every opinion is in or its deadline passed (409 awaitingOpinions) and is never decided by them. 'dueAt' (optional) must be later than now and no later than the process allows (400 on 'dueAt'). 403 where the process does not allow it or for someone it does not let you ask. Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
