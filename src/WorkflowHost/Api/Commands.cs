using Microsoft.EntityFrameworkCore;
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
/// the <c>Idempotency-Key</c> header is honoured, and the engine's refusal becomes the matching HTTP problem.
/// </summary>
public sealed class StepCommands(IDbContextFactory<WorkflowDbContext> contexts, WorkflowCommands commands)
{
    public async Task<IResult> RunAsync(HttpContext http, Caller caller, Guid instanceId, Stimulus stimulus, string optionField = "choice", string? onlyRole = null)
    {
        var (key, keyError) = Idempotency.Read(http, caller);
        if (keyError is not null)
        {
            return Problems.Field(Idempotency.Header, keyError);
        }

        // Visibility and the stored answer under the key, in one read (issue 18); the key is scoped in SQL exactly as
        // WorkflowCommands.ScopedKey scopes it, and the idempotency tests replay through this path.
        VisibleInstance? found;
        await using (var db = await contexts.CreateDbContextAsync(http.RequestAborted))
        {
            found = await db.Instances.AsNoTracking().Where(i => i.Id == instanceId).VisibleTo(db, caller)
                .Select(i => new VisibleInstance(
                    i.CommunityId,
                    key == null ? null : db.IdempotentCommands.Where(c => c.Key == i.CommunityId + "/" + key).Select(c => c.ResultJson).FirstOrDefault()))
                .FirstOrDefaultAsync(http.RequestAborted);
        }

        if (found is null)
        {
            return Problems.NotFound($"There is no instance {instanceId}.");
        }

        var communityId = found.CommunityId;

        if (onlyRole is not null && !(caller.Has(onlyRole) && caller.CommunityId == communityId))
        {
            return Problems.Forbidden($"Only the {onlyRole} of the instance's community can do this.");
        }

        var result = found.StoredAnswer is { } stored
            ? WorkflowCommands.Replay(stored)
            : await commands.ResumeAsync(new ResumeCommand(instanceId, communityId, stimulus, key, ReplayAlreadyChecked: key is not null), http.RequestAborted);
        if (!result.Succeeded)
        {
            return Problems.From(result, optionField);
        }

        Idempotency.MarkReplay(http, result.Replayed);
        return Results.Ok(CommandResponse.From(result));
    }
}

/// <summary>The instance's community, and the answer stored under the request's idempotency key if there is one.</summary>
internal sealed record VisibleInstance(string CommunityId, string? StoredAnswer);
