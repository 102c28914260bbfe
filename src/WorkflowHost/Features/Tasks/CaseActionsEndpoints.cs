using FluentValidation;
using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Instances;

namespace WorkflowHost.Features.Tasks;

/// <summary>The secretary closes an overdue ballot, with the reason.</summary>
public sealed record CloseBallotRequest(string? Reason);

internal sealed class CloseBallotRequestValidator : AbstractValidator<CloseBallotRequest>
{
    public CloseBallotRequestValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(CloseOverdueBallot.MaxReasonLength);
}

/// <summary>What the office and the secretary do to move a case along: urge (催办), close an overdue ballot; and the discussion's list.</summary>
internal static class CaseActionsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var instance = api.MapGroup("/instances/{id:guid}").WithTags("Tasks");

        instance.MapPost("/steps/{stepId}/urge", (Guid id, string stepId, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new UrgeStep(stepId, caller.PersonId)))
            .WithName("UrgeStep")
            .WithSummary("Remind everyone who has not acted on an open step, now (secretary or office; once per working day)")
            .WithDescription("No body. 409 alreadyUrged when the step was urged this working day. Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

        instance.MapPost("/steps/{stepId}/close", (Guid id, string stepId, Body<CloseBallotRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new CloseOverdueBallot(stepId, caller.PersonId, body.Value.Reason!.Trim())))
            .Accepts<CloseBallotRequest>("application/json")
            .WithName("CloseOverdueBallot")
            .WithSummary("Close an overdue ballot with a reason (secretary); the rule decides on the votes cast")
            .WithDescription("Passed only if the votes cast already carry it; otherwise rejected or no-quorum. 409 notOverdue before the deadline. Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

        instance.MapGet("/comments", async (Guid id, Caller caller, InstanceReader reader, CancellationToken cancellationToken) =>
                await reader.CommentsAsync(caller, id, cancellationToken) is { } comments ? Results.Ok(comments) : Problems.NotFound($"There is no instance {id}."))
            .WithName("ListComments")
            .WithSummary("The comments on an instance, oldest first: author, step (if any), text, time")
            .Produces<IReadOnlyList<CommentView>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
