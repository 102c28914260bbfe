using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Api;

/// <summary>
/// What every state-changing request answers when it succeeds: the instance it acted on, its status and result after
/// the step. It is exactly what the store remembers under an idempotency key, so a replay answers the same.
/// </summary>
public sealed record CommandResponse(Guid InstanceId, string Status, string? Result, string Instance, string Timeline)
{
    public static CommandResponse From(CommandResult result) => new(
        result.InstanceId,
        StoredName.Of(result.Status ?? InstanceStatus.Running),
        result.Result,
        $"/api/instances/{result.InstanceId}",
        $"/api/instances/{result.InstanceId}/timeline");
}

/// <summary>
/// Runs a stimulus on an instance for a caller: the instance must be visible to them (else 404, as if it did not exist),
/// the <c>Idempotency-Key</c> header is honoured, and the engine's refusal becomes the matching HTTP problem. Visibility,
/// the role check and the stored answer under the key ride on the step's own read of the instance
/// (<see cref="ResumeCommand.Viewer"/>), so a vote reads its instance once, in its transaction (issue 18).
/// </summary>
public sealed class StepCommands(WorkflowCommands commands)
{
    public async Task<IResult> RunAsync(HttpContext http, Caller caller, Guid instanceId, Stimulus stimulus, string optionField = "choice", string? onlyRole = null)
    {
        var (key, keyError) = Idempotency.Read(http, caller);
        if (keyError is not null)
        {
            return Problems.Field(Idempotency.Header, keyError);
        }

        var command = new ResumeCommand(instanceId, CommunityId: null, stimulus, key)
        {
            Viewer = caller.AsViewer(),
            Admit = onlyRole is null
                ? null
                : row => caller.Has(onlyRole) && caller.CommunityId == row.CommunityId
                    ? null
                    : new Refusal(RefusalCode.NotAllowed, $"Only the {onlyRole} of the instance's community can do this."),
        };
        var result = await commands.ResumeAsync(command, http.RequestAborted);
        if (!result.Succeeded)
        {
            return Problems.From(result, optionField);
        }

        Idempotency.MarkReplay(http, result.Replayed);
        return Results.Ok(CommandResponse.From(result));
    }
}
