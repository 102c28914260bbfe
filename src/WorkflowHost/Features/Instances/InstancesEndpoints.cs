using FluentValidation;
using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Features.Instances;

public sealed record WithdrawRequest(string? Reason);

internal sealed class WithdrawRequestValidator : AbstractValidator<WithdrawRequest>
{
    public WithdrawRequestValidator() => RuleFor(r => r.Reason).MaximumLength(500);
}

/// <summary>Start, read, list and withdraw instances.</summary>
internal static class InstancesEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var instances = api.MapGroup("/instances").WithTags("Instances");

        instances.MapPost("", StartInstance.HandleAsync)
            .Accepts<StartRequest>("application/json")
            .WithName("StartInstance")
            .WithSummary("Start an instance of a process with its input")
            .WithDescription("Accepts an Idempotency-Key header: a repeated request with the same key returns the first result and changes nothing.")
            .Produces<CommandResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        instances.MapGet("", ListInstances.HandleAsync)
            .WithName("ListInstances")
            .WithSummary("The instances visible to the caller, newest first")
            .WithDescription($"Filters: process, state (running, completed, withdrawn), unit, from and to (start dates, yyyy-MM-dd, inclusive); page from 1, pageSize up to {ListInstancesQuery.MaxPageSize}.")
            .Produces<InstancePage>()
            .ProducesValidationProblem();

        instances.MapGet("/{id:guid}", async (Guid id, Caller caller, InstanceReader reader, CancellationToken cancellationToken) =>
                await reader.GetAsync(caller, id, cancellationToken) is { } view ? Results.Ok(view) : Problems.NotFound($"There is no instance {id}."))
            .WithName("GetInstance")
            .WithSummary("One instance: state, current steps with deadlines, outcome, documents")
            .Produces<InstanceView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        instances.MapPost("/{id:guid}/withdraw", (Guid id, Body<WithdrawRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new Withdraw(caller.PersonId, body.Value.Reason)))
            .Accepts<WithdrawRequest>("application/json")
            .WithName("WithdrawInstance")
            .WithSummary("Withdraw an instance before it is decided (initiator only)")
            .Produces<CommandResponse>()
            .ProducesStepProblems();
    }
}
