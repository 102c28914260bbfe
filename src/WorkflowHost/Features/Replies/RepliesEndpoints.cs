using WorkflowHost.Api;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Features.Accounts;

namespace WorkflowHost.Features.Replies;

/// <summary>What a valid number and code confirm: the reply exists, when it was issued, by which community, and its outcome.</summary>
/// <remarks><c>Unit</c>, <c>Matter</c> (the kind: promotion, award…) and the nominee's name, masked, let HR match the paper in hand.</remarks>
public sealed record ReplyVerification(
    bool Valid, string Number, DateOnly IssuedOn, string Community, LocalizedText? Process, string? Outcome,
    LocalizedText? Unit = null, LocalizedText? Matter = null, string? Nominee = null);

/// <summary>
/// Public verification of a reply (意见回执) by its number and code, e.g. by the unit's HR before a promotion. A wrong code
/// and an unknown number get the same 404, so the endpoint cannot be used to find out which numbers exist; it is also
/// rate limited per address.
/// </summary>
internal static class RepliesEndpoints
{
    public static void Map(RouteGroupBuilder publicApi)
    {
        publicApi.MapGet("/replies/verify", async (string? number, string? code, ReplyVerifier verifier, FluentValidation.IValidator<ReplyLookup> validator, CancellationToken cancellationToken) =>
            {
                var validation = await validator.ValidateAsync(new ReplyLookup(number, code), cancellationToken);
                if (!validation.IsValid)
                {
                    return Problems.Validation(validation.Errors.GroupBy(e => e.PropertyName.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()));
                }

                var reply = await verifier.VerifyAsync(number!, code!, cancellationToken);
                return reply is null
                    ? Problems.NotFound("No reply has this number and code.")
                    : Results.Ok(new ReplyVerification(true, reply.Number, reply.IssuedOn, reply.Community.ZhCn ?? "", reply.Process, reply.Outcome,
                        reply.Unit, reply.Matter, reply.MaskedNominee));
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
