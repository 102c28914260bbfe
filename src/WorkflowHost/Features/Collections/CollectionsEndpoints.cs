using System.Text.Json.Nodes;
using FluentValidation;
using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Features.Collections;

/// <summary>A unit's contribution to an open collection window (认领: a pledge of a facility, people or money; a sign-up).</summary>
public sealed record ContributeRequest(JsonObject? Item);

/// <summary>Takes back the contribution at <c>index</c> in the window's list, with an optional reason.</summary>
public sealed record RetractContributionRequest(string? Reason);

internal sealed class ContributeRequestValidator : AbstractValidator<ContributeRequest>
{
    public ContributeRequestValidator() =>
        RuleFor(r => r.Item).NotNull().WithMessage("'item' is required: the contribution, with the fields the collection step declares.");
}

internal sealed class RetractContributionRequestValidator : AbstractValidator<RetractContributionRequest>
{
    public RetractContributionRequestValidator() => RuleFor(r => r.Reason).MaximumLength(500);
}

/// <summary>
/// Contribute to and retract from a collection window (ADR 35). The item's fields, who may contribute, the window's
/// dates and facility double booking are the engine's and the store's to check (400, 403, 409).
/// </summary>
internal static class CollectionsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var collections = api.MapGroup("/instances/{id:guid}/steps/{stepId}/contributions").WithTags("Collections");

        collections.MapPost("", (Guid id, string stepId, Body<ContributeRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new Contribute(stepId, caller.PersonId, body.Value.Item!)))
            .Accepts<ContributeRequest>("application/json")
            .WithName("Contribute")
            .WithSummary("Contribute to an open collection window (a unit's pledge or sign-up)")
            .WithDescription("The item carries the fields the step declares. A facility pledge reserves its hours; an overlap with another reservation is refused with 409. Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

        collections.MapPost("/{index:int}/retract", (Guid id, string stepId, int index, Body<RetractContributionRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new RetractContribution(stepId, caller.PersonId, index, body.Value.Reason)))
            .Accepts<RetractContributionRequest>("application/json")
            .WithName("RetractContribution")
            .WithSummary("Take back a contribution while the window is open (the contributor or a colleague of the same unit)")
            .Produces<CommandResponse>()
            .ProducesStepProblems();
    }
}
