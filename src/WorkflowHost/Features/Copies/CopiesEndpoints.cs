using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Inbox;
using WorkflowHost.Features.Instances;

namespace WorkflowHost.Features.Copies;

/// <summary>
/// 抄送 (docs/decisions/0131): the submitting unit or the office copies people on a case, and each person lists the cases
/// they were copied on. A copy is a step command like the others: journaled by the engine, 403 where the process does
/// not allow it or for someone it does not let be copied, 409 <c>alreadyCopied</c>, 409 <c>instanceEnded</c>.
/// </summary>
internal static class CopiesEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/instances/{id:guid}/copies", (Guid id, Body<CopyCaseRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new CopyCase(caller.PersonId, [.. body.Value.To!.Select(p => p.Trim())],
                    string.IsNullOrWhiteSpace(body.Value.Note) ? null : body.Value.Note.Trim())))
            .WithTags("Instances")
            .Accepts<CopyCaseRequest>("application/json")
            .WithName("CopyCase")
            .WithSummary("Copy people on a case (抄送): they may read it and are told its outcome, with no task")
            .WithDescription("For the submitting unit's liaisons and the office, where the process's 'copy' allows it and only to whom it names. 403 otherwise; 409 alreadyCopied when someone named is copied already; 409 instanceEnded once the case ended. Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

        api.MapGet("/inbox/copied", async (string? page, string? pageSize, Caller caller, CopiedCases copies, CancellationToken cancellationToken) =>
            {
                var errors = new Dictionary<string, string[]>();
                var pageNumber = InboxEndpoints.Parse(page, 1, 100_000, "page", errors) ?? 1;
                var size = InboxEndpoints.Parse(pageSize, 1, ListInstancesQuery.MaxPageSize, "pageSize", errors) ?? ListInstancesQuery.DefaultPageSize;
                return errors.Count > 0
                    ? Problems.Validation(errors)
                    : Results.Ok(await copies.ForAsync(caller, pageNumber, size, cancellationToken));
            })
            .WithTags("Inbox")
            .WithName("GetCopiedCases")
            .WithSummary("Cases I was copied on (抄送我的), newest copy first")
            .Produces<CopiedCasesPage>()
            .ProducesValidationProblem();
    }
}
