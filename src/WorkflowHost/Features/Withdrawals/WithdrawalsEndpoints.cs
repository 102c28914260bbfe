using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Instances;

namespace WorkflowHost.Features.Withdrawals;

/// <summary>
/// Taking back read access a case granted (docs/decisions/0139): a copy (撤回抄送) and a delegate's reading (委派). Both are
/// engine steps run through <see cref="StepCommands"/>: 404 for a case the caller cannot see or a person not copied / not a
/// delegate, 403 for a caller the engine does not let, 409 <c>alreadyWithdrawn</c> the second time, 409 <c>delegated</c>
/// while the delegate still prepares a task. Accepted on ended cases too.
/// </summary>
internal static class WithdrawalsEndpoints
{
    /// <summary>Person ids are the directory's: short, no slashes; anything else names nobody.</summary>
    private const int MaxPersonIdLength = 64;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/instances/{id:guid}/copies/{personId}/withdrawal", (Guid id, string personId, Body<WithdrawReadingRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                Run(http, caller, id, personId, commands, reason => new WithdrawCopy(caller.PersonId, personId, reason), body.Value))
            .WithTags("Instances")
            .Accepts<WithdrawReadingRequest>("application/json")
            .WithName("WithdrawCopy")
            .WithSummary("Withdraw a copy (撤回抄送): the person stops reading the case at once and it leaves their 'copied to me'")
            .WithDescription("For those who may copy on the case (the submitting unit's liaisons, the office), running or ended, with a reason that the journal keeps (CaseCopyWithdrawn). 404 when the person is not copied; 409 alreadyWithdrawn the second time.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

        api.MapPost("/instances/{id:guid}/delegates/{personId}/reading-end", (Guid id, string personId, Body<WithdrawReadingRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                Run(http, caller, id, personId, commands, reason => new EndDelegateReading(caller.PersonId, personId, reason), body.Value))
            .WithTags("Instances")
            .Accepts<WithdrawReadingRequest>("application/json")
            .WithName("EndDelegateReading")
            .WithSummary("End the read access a delegate kept after handing a task back (委派); they then get 404 on the case")
            .WithDescription("For whoever delegated a task of the case to the person, and the office; with a reason the journal keeps (DelegateReadingEnded). 404 when the person prepared no task of the case; 409 delegated while they still prepare one; 409 alreadyWithdrawn the second time.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();
    }

    private static Task<IResult> Run(HttpContext http, Caller caller, Guid id, string personId, StepCommands commands, Func<string, Stimulus> stimulus, WithdrawReadingRequest request) =>
        personId.Length > MaxPersonIdLength
            ? Task.FromResult(Problems.NotFound($"There is no person '{personId}' on this case."))
            : commands.RunAsync(http, caller, id, stimulus(request.Reason!.Trim()));
}
