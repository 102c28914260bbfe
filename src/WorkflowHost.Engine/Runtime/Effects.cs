using System.Text.Json.Nodes;

namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// What the host must do so the world matches the new state. The runner only describes effects;
/// persistence applies them all in the one transaction that stores the state.
/// </summary>
public abstract record Effect;

public sealed record TaskOpened(string BookmarkId, string ActivityId, Assignment Assignee, IReadOnlyList<string> Outcomes, DateTimeOffset? DueAt) : Effect;

public sealed record TaskClosed(string BookmarkId, CloseReason Reason, string? Outcome = null, string? ClosedBy = null) : Effect;

/// <summary>Who has an open task in hand changed (claimed, released, transferred, delegated, returned); the inbox shows it.</summary>
public sealed record TaskHoldingChanged(string BookmarkId, string? HolderId, string? DelegateId) : Effect;

public sealed record BallotOpened(
    string BookmarkId,
    string ActivityId,
    IReadOnlyList<string> EligibleVoters,
    IReadOnlyList<Recusal> Recusals,
    IReadOnlyList<string> Options,
    bool Secret,
    DateTimeOffset? ClosesAt,
    DateTimeOffset? DueAt = null) : Effect;

/// <summary>
/// A vote to store. On a secret ballot <paramref name="Choice"/> and <paramref name="Reason"/> are null: the effect says only
/// that the voter voted; the choice goes to the store as a <see cref="SecretChoiceCast"/>, which names nobody, and a
/// secret ballot's reason is not kept at all (decision 91).
/// </summary>
public sealed record VoteRecorded(string BookmarkId, string VoterId, string? Choice, string? Reason, bool Secret, string? EnteredBy) : Effect;

public sealed record RecusalRecorded(string BookmarkId, Recusal Recusal) : Effect;

/// <summary>
/// One choice on a secret ballot, to be stored sealed and without voter or time until the ballot closes (decision 91).
/// The closing step receives the earlier choices back through <see cref="RunContext.Unsealed"/> and counts them; a step
/// that closes the ballot without them asks for them (<see cref="SealedChoicesNeededException"/>, decision 169).
/// </summary>
public sealed record SecretChoiceCast(string BookmarkId, string Choice) : Effect;

/// <summary>A ballot ended; on a <paramref name="Secret"/> one the store drops its sealed choices, now counted into <paramref name="Totals"/>.</summary>
public sealed record BallotClosed(string BookmarkId, string Outcome, CloseReason Reason, IReadOnlyDictionary<string, int> Totals, bool Secret = false) : Effect;

/// <summary>The deadline of an open task or ballot moved (the secretary extended it).</summary>
public sealed record DeadlineMoved(string BookmarkId, DateTimeOffset DueAt) : Effect;

public sealed record TimerScheduled(string TimerId, string BookmarkId, TimerPurpose Purpose, DateTimeOffset DueAt) : Effect;

public sealed record TimerCancelled(string TimerId) : Effect;

/// <summary>A message for one recipient; <paramref name="Key"/> is unique, so replays never send twice.</summary>
public sealed record NotificationRequested(string Key, string RecipientId, string Template, JsonObject Data) : Effect;

/// <summary>
/// Ask the store for the next number of a series, unique and gapless per community and year, and to put
/// the formatted number into <c>variables[ActivityId].number</c>. The only effect that writes back into state,
/// because only the database can hand out numbers across instances.
/// </summary>
public sealed record NumberRequested(string ActivityId, string Series, int Year, string Format) : Effect;

/// <summary>An append-only journal event; the store chains it by hash to the instance's previous event.</summary>
/// <summary>The step refers to these uploads: the store attaches them to the instance in the step's transaction, so an upload a case refers to is never cleaned as an orphan.</summary>
public sealed record AttachmentsReferenced(IReadOnlyList<Guid> AttachmentIds) : Effect;

public sealed record JournalEntry(string Type, JsonObject Data) : Effect;

public sealed record Recusal(string VoterId, string Reason, bool Automatic);

public enum CloseReason
{
    Completed,
    Decided,
    DeadlinePassed,
    Withdrawn,
    InstanceEnded,
}

public enum TimerPurpose
{
    Deadline,
    Wait,

    /// <summary>Before a deadline: a reminder to those who have not acted.</summary>
    Reminder,

    /// <summary>At or after a deadline: an alert up the chain (secretary, street committee).</summary>
    Escalation,

    /// <summary>A claimed task left untouched this long is offered back to everyone (the activity's <c>moves.claimTimeout</c>).</summary>
    ClaimTimeout,
}
