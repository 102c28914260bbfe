using FluentValidation;
using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Features.Ballots;

/// <summary>书面意见: the text of a voter's written opinion.</summary>
public sealed record WrittenOpinionRequest(string? Text);

internal sealed class WrittenOpinionRequestValidator : AbstractValidator<WrittenOpinionRequest>
{
    public WrittenOpinionRequestValidator() => RuleFor(r => r.Text).NotEmpty().MaximumLength(LeaveWrittenOpinion.MaxLength);
}

/// <summary>A voter who will not vote in time leaves a written opinion: shown on the ballot, never counted, never a proxy vote.</summary>
internal static class WrittenOpinionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/instances/{id:guid}/steps/{stepId}/written-opinion",
                (Guid id, string stepId, Body<WrittenOpinionRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                    commands.RunAsync(http, caller, id, new LeaveWrittenOpinion(stepId, caller.PersonId, body.Value.Text!.Trim())))
            .WithTags("Ballots")
            .Accepts<WrittenOpinionRequest>("application/json")
            .WithName("LeaveWrittenOpinion")
            .WithSummary("Leave a written opinion (书面意见) on an open ballot you are a voter on; it is shown and not counted")
            .WithDescription("403 on a secret ballot and for anyone not a voter (a deputy included: ballots are never delegated). 409 opinionGiven for a second one. Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();
    }
}
