using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;

namespace WorkflowHost.Features.Instances;

/// <summary>A person as the API shows them: id and name.</summary>
public sealed record PersonRef(string Id, string? Name);

public sealed record UnitRef(string Id, string? Name);

/// <summary>One instance in a list.</summary>
public sealed record InstanceSummary(
    Guid Id,
    string Process,
    LocalizedText? ProcessName,
    string Status,
    string? Result,
    string CommunityId,
    UnitRef? Unit,
    PersonRef Initiator,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt,
    string Href);

public sealed record InstancePage(IReadOnlyList<InstanceSummary> Items, int Page, int PageSize, int Total);

/// <summary>One instance in full: what was asked, where it stands, what it waits for and by when, what it produced.</summary>
public sealed record InstanceView(
    Guid Id,
    string Process,
    LocalizedText? ProcessName,
    string Revision,
    string Status,
    string? Result,
    string CommunityId,
    UnitRef? Unit,
    PersonRef Initiator,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt,
    JsonObject Input,
    IReadOnlyList<StepView> CurrentSteps,
    IReadOnlyList<StepView> PastSteps,
    IReadOnlyList<DocumentView> Documents,
    InstanceLinks Links,
    IReadOnlyList<AmendmentView>? Amendments = null);

public sealed record InstanceLinks(string Self, string Timeline, string Verification, string Diagram, string? Withdraw, string Comments);

/// <summary>A task or a ballot of the instance. <see cref="StepId"/> is what the step endpoints take (URL-encode its <c>#</c> as <c>%23</c>).</summary>
public sealed record StepView(
    string StepId,
    string Activity,
    LocalizedText? Name,
    string Kind,
    string Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset? DueAt,
    bool Overdue,
    DateTimeOffset? ClosedAt,
    string? CloseReason,
    TaskView? Task,
    BallotView? Ballot,
    StepLinks? Links,
    IReadOnlyList<string>? UrgedOn = null);

/// <summary>What the caller can do on the step. <c>Contribute</c> is offered on any open collection window of the caller's community; who may contribute is the step's to decide.</summary>
public sealed record StepLinks(
    string? Complete, string? Vote, string? Recuse, string? OfflineVotes, string? Deadline, string? MeetingVotes = null, string? Contribute = null,
    string? Urge = null, string? CloseOverdue = null, TaskMoveLinks? Moves = null);

public sealed record OutcomeView(string Name, LocalizedText? Label);

/// <summary>A task: who it is offered to, who holds it now (<c>Holder</c>, after a claim or transfer) and who prepares it (<c>Delegate</c>, 委派).</summary>
public sealed record TaskView(string AssigneeKind, string Assignee, IReadOnlyList<OutcomeView> Outcomes, bool CanComplete, string? Outcome, PersonRef? CompletedBy, string? Comment,
    PersonRef? Holder = null, PersonRef? Delegate = null);

/// <summary>
/// A ballot. While a SECRET ballot is open neither totals nor reasons are shown to anyone (counting them between two
/// votes would tell who chose what); afterwards only totals and reasons without names. Who took part is always shown
/// to the committee side, what each chose only on an open (non-secret) ballot.
/// </summary>
public sealed record BallotView(
    bool Secret,
    IReadOnlyList<OutcomeView> Options,
    int Voters,
    int Eligible,
    int Voted,
    int Recused,
    string? Outcome,
    IReadOnlyDictionary<string, int>? Totals,
    IReadOnlyList<string>? AnonymousReasons,
    string? MyStatus,
    bool CanVote,
    IReadOnlyList<VoterView>? VoterList,
    IReadOnlyList<WrittenOpinionView>? WrittenOpinions = null,
    IReadOnlyList<VoterAwayView>? VotersAway = null);

/// <summary>
/// A voter who has not voted and is on leave today or later, with their last day: the secretary judges from it whether
/// the quorum is reachable (decision 117). Shown with the voter list, to the committee side, while the ballot is open.
/// </summary>
public sealed record VoterAwayView(PersonRef Person, DateOnly Until);

/// <summary>书面意见 left on the ballot by a voter who will not vote in time; shown, never counted (decision 117).</summary>
public sealed record WrittenOpinionView(PersonRef By, string Text, DateTimeOffset At);

public sealed record VoterView(PersonRef Person, string Status, DateTimeOffset? RespondedAt, string? Choice, string? Reason, PersonRef? EnteredBy, string? RecusalReason, bool AutomaticRecusal);

/// <summary>A numbered document the instance issued, e.g. the reply (意见回执), with the code that lets anyone verify it.</summary>
public sealed record DocumentView(string Kind, string Activity, LocalizedText? Name, string Number, DateTimeOffset IssuedAt, string? Outcome, string VerificationCode, string Verify);
