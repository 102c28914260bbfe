using FluentValidation;
using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Accounts;

namespace WorkflowHost.Features.Ballots;

public sealed record VoteRequest(string? Choice, string? Reason);

public sealed record RecuseRequest(string? Reason);

/// <summary>A vote cast at a physical meeting, entered by the secretary: whose, what, and the attestation (where, when, witnessed by).</summary>
public sealed record OfflineVoteRequest(string? Voter, string? Choice, string? Reason, string? Attestation);

/// <summary>A whole physical meeting on a ballot, entered by the secretary: who was present, their votes, the attestation.</summary>
public sealed record MeetingVotesRequest(IReadOnlyList<string>? Present, IReadOnlyList<MeetingVoteRequest>? Votes, string? Attestation);

public sealed record MeetingVoteRequest(string? Voter, string? Choice, string? Reason);

internal sealed class VoteRequestValidator : AbstractValidator<VoteRequest>
{
    public VoteRequestValidator()
    {
        RuleFor(r => r.Choice).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Reason).MaximumLength(1000);
    }
}

internal sealed class RecuseRequestValidator : AbstractValidator<RecuseRequest>
{
    public RecuseRequestValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
}

internal sealed class OfflineVoteRequestValidator : AbstractValidator<OfflineVoteRequest>
{
    public OfflineVoteRequestValidator()
    {
        RuleFor(r => r.Voter).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Choice).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Reason).MaximumLength(1000);
        RuleFor(r => r.Attestation).NotEmpty().MaximumLength(1000);
    }
}

internal sealed class MeetingVotesRequestValidator : AbstractValidator<MeetingVotesRequest>
{
    /// <summary>A committee is 14 members; a list longer than this is not a meeting record.</summary>
    public const int MaxPeople = 100;

    public MeetingVotesRequestValidator()
    {
        RuleFor(r => r.Present).NotEmpty().WithMessage("'present' is required: who attended the meeting.");
        RuleFor(r => r.Present!.Count).LessThanOrEqualTo(MaxPeople).When(r => r.Present is not null).OverridePropertyName("present");
        RuleForEach(r => r.Present).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Votes).NotEmpty().WithMessage("'votes' is required: the votes cast at the meeting.");
        RuleFor(r => r.Votes!.Count).LessThanOrEqualTo(MaxPeople).When(r => r.Votes is not null).OverridePropertyName("votes");
        RuleForEach(r => r.Votes).ChildRules(vote =>
        {
            vote.RuleFor(v => v.Voter).NotEmpty().MaximumLength(64);
            vote.RuleFor(v => v.Choice).NotEmpty().MaximumLength(64);
            vote.RuleFor(v => v.Reason).MaximumLength(1000);
        });
        RuleFor(r => r.Attestation).NotEmpty().MaximumLength(1000);
    }
}

/// <summary>
/// Vote, recuse, and the secretary's entry of votes cast at a meeting. Eligibility, recusal and "already voted" are the
/// engine's to decide (403, 409); the response never repeats the choice.
/// </summary>
internal static class BallotsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var ballots = api.MapGroup("/instances/{id:guid}/steps/{stepId}").WithTags("Ballots");

        ballots.MapPost("/vote", (Guid id, string stepId, Body<VoteRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new CastVote(stepId, caller.PersonId, body.Value.Choice!, body.Value.Reason)))
            .Accepts<VoteRequest>("application/json")
            .WithName("Vote")
            .WithMetadata(ReusesSessionCheck.Instance)
            .WithSummary("Vote on a ballot")
            .WithDescription("Only an eligible, not recused member who has not voted yet. Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

        ballots.MapPost("/recuse", (Guid id, string stepId, Body<RecuseRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new Recuse(stepId, caller.PersonId, body.Value.Reason!)))
            .Accepts<RecuseRequest>("application/json")
            .WithName("Recuse")
            .WithMetadata(ReusesSessionCheck.Instance)
            .WithSummary("Recuse yourself from a ballot, with the reason (回避)")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

        ballots.MapPost("/offline-votes", (Guid id, string stepId, Body<OfflineVoteRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new CastVote(stepId, body.Value.Voter!, body.Value.Choice!, body.Value.Reason, caller.PersonId, body.Value.Attestation),
                    onlyRole: RoleNames.Secretary))
            .Accepts<OfflineVoteRequest>("application/json")
            .WithName("EnterOfflineVote")
            .WithMetadata(ReusesSessionCheck.Instance)
            .WithSummary("Enter a vote cast at a physical meeting, with an attestation (secretary)")
            .Produces<CommandResponse>()
            .ProducesStepProblems();

        ballots.MapPost("/meeting-votes", (Guid id, string stepId, Body<MeetingVotesRequest> body, Caller caller, HttpContext http, StepCommands commands) =>
                commands.RunAsync(http, caller, id, new RecordMeetingVotes(stepId, caller.PersonId, [.. body.Value.Present!],
                    [.. body.Value.Votes!.Select(v => new MeetingVote(v!.Voter!, v.Choice!, v.Reason))], body.Value.Attestation!)))
            .Accepts<MeetingVotesRequest>("application/json")
            .WithName("RecordMeetingVotes")
            .WithMetadata(ReusesSessionCheck.Instance)
            .WithSummary("Record a whole physical meeting on a ballot: attendance, votes and attestation (the ballot's offlineVotesBy role)")
            .WithDescription("All or nothing: one invalid vote refuses the whole record. Only members present can have a vote entered. Accepts an Idempotency-Key header.")
            .Produces<CommandResponse>()
            .ProducesStepProblems();
    }
}
