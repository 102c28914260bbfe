using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence;

namespace WorkflowHost.Features.Replies;

/// <summary>What a valid number and code confirm: the reply exists, when it was issued, by which community, and its outcome.</summary>
public sealed record ReplyVerification(bool Valid, string Number, DateOnly IssuedOn, string Community, LocalizedText? Process, string? Outcome);

/// <summary>
/// Public verification of a reply (意见回执) by its number and code, e.g. by the unit's HR before a promotion. A wrong code
/// and an unknown number get the same 404, so the endpoint cannot be used to find out which numbers exist; it is also
/// rate limited per address.
/// </summary>
internal static class RepliesEndpoints
{
    public static void Map(RouteGroupBuilder publicApi)
    {
        publicApi.MapGet("/replies/verify", async (string? number, string? code, IDbContextFactory<WorkflowDbContext> contexts, ReplyCodes codes,
                Persistence.Definitions.DefinitionCatalog catalog, Engine.Time.IWorkingCalendar calendar, CancellationToken cancellationToken) =>
            {
                var errors = new Dictionary<string, string[]>();
                if (string.IsNullOrWhiteSpace(number) || number.Length > 64)
                {
                    errors["number"] = ["'number' is required: the reply number, e.g. 2026-0001."];
                }

                if (string.IsNullOrWhiteSpace(code) || code.Length > 40)
                {
                    errors["code"] = ["'code' is required: the verification code printed on the reply."];
                }

                if (errors.Count > 0)
                {
                    return Problems.Validation(errors);
                }

                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                var candidates = await db.IssuedNumbers.AsNoTracking().Where(n => n.Number == number!.Trim()).ToListAsync(cancellationToken);
                var match = candidates.FirstOrDefault(n => codes.Matches(n, code!));
                if (match is null)
                {
                    return Problems.NotFound("No reply has this number and code.");
                }

                var instance = await db.Instances.AsNoTracking().Where(i => i.Id == match.InstanceId)
                    .Select(i => new { i.DefinitionId, i.Result }).FirstAsync(cancellationToken);
                var community = await db.Communities.AsNoTracking().Where(c => c.Id == match.CommunityId).Select(c => c.NameZh).FirstAsync(cancellationToken);
                return Results.Ok(new ReplyVerification(true, match.Number, calendar.DateOf(match.IssuedAt), community,
                    catalog.Current(instance.DefinitionId)?.Name, instance.Result));
            })
            .RequireRateLimiting(AccountsRegistration.PublicRateLimit)
            .WithTags("Replies")
            .WithName("VerifyReply")
            .WithSummary("Verify a reply (意见回执) by its number and verification code")
            .Produces<ReplyVerification>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }
}
