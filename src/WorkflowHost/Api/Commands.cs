using System.Collections.Frozen;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Accounts;
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
    /// <summary>
    /// Each status's stored name, made once by <see cref="StoredName.Of{TEnum}"/> itself: it lower-cases the enum's name,
    /// a new string on every request it ran on (decision 177).
    /// </summary>
    private static readonly FrozenDictionary<InstanceStatus, string> StatusNames =
        Enum.GetValues<InstanceStatus>().ToFrozenDictionary(status => status, StoredName.Of);

    public static CommandResponse From(CommandResult result) => new(
        result.InstanceId,
        NameOf(result.Status ?? InstanceStatus.Running),
        result.Result,
        $"/api/instances/{result.InstanceId}",
        $"/api/instances/{result.InstanceId}/timeline");

    internal static string NameOf(InstanceStatus status) => StatusNames.TryGetValue(status, out var name) ? name : StoredName.Of(status);
}

/// <summary>
/// Runs a stimulus on an instance for a caller: the instance must be visible to them (else 404, as if it did not exist),
/// the <c>Idempotency-Key</c> header is honoured, and the engine's refusal becomes the matching HTTP problem. Visibility,
/// the role check and the stored answer under the key ride on the step's own read of the instance
/// (<see cref="ResumeCommand.Viewer"/>), so a vote reads its instance once, in its transaction (issue 18).
/// </summary>
/// <remarks>
/// A request whose session check was reused (<see cref="SessionReuse"/>, decision 173) has that check's epoch verified by
/// the same read. Found changed, the step has written nothing: the session is checked in full, and the step runs again
/// for the caller as the directory has them now, or the request is refused (401).
/// </remarks>
public sealed class StepCommands(WorkflowCommands commands)
{
    public async Task<IResult> RunAsync(HttpContext http, Caller caller, Guid instanceId, Stimulus stimulus, string optionField = "choice", string? onlyRole = null)
    {
        if (SessionReuse.EpochOf(http) is not { } epoch)
        {
            return await RunOnceAsync(http, caller, instanceId, stimulus, optionField, onlyRole, epoch: null);
        }

        try
        {
            return await RunOnceAsync(http, caller, instanceId, stimulus, optionField, onlyRole, epoch);
        }
        catch (StaleAuthorizationException)
        {
            if (!await SessionReuse.RecheckAsync(http))
            {
                return Results.Unauthorized();
            }

            // The stimulus names the caller by the person claim, which no check changes; everything else is the caller's again.
            var current = await http.RequestServices.GetRequiredService<CallerResolver>().ResolveAsync(http) ?? throw new UnknownCallerException();
            return await RunOnceAsync(http, current, instanceId, stimulus, optionField, onlyRole, epoch: null);
        }
    }

    private async Task<IResult> RunOnceAsync(HttpContext http, Caller caller, Guid instanceId, Stimulus stimulus, string optionField, string? onlyRole, long? epoch)
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
            AuthorizationEpoch = epoch,
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
