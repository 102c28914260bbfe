using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using WorkflowHost.Engine.Ballots;

namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// Everything the runner needs to resume an instance. It is serialised whole into the instance row,
/// so it holds data only; behaviour lives in the activities and the runner.
/// </summary>
public sealed class InstanceState
{
    public required Guid InstanceId { get; init; }

    public required string CommunityId { get; init; }

    public required string DefinitionId { get; init; }

    /// <summary>The revision the instance started on; it runs to the end on it.</summary>
    public required string DefinitionHash { get; init; }

    public required Participant Initiator { get; init; }

    public InstanceStatus Status { get; set; } = InstanceStatus.Running;

    /// <summary>The end activity's result (e.g. <c>consent</c>), or <c>withdrawn</c>.</summary>
    public string? Result { get; set; }

    public JsonObject Input { get; set; } = [];

    /// <summary>What activities recorded: <c>variables[activityId]</c> is an object (ballot totals, numbers issued…).</summary>
    public JsonObject Variables { get; set; } = [];

    public List<Bookmark> Bookmarks { get; set; } = [];

    /// <summary>Bookmarks that existed once, so a late stimulus is told "closed" rather than "unknown".</summary>
    public List<string> ClosedBookmarks { get; set; } = [];

    /// <summary>Arrivals counted at each join activity since it last fired.</summary>
    public Dictionary<string, int> JoinArrivals { get; set; } = [];

    /// <summary>抄送: the people copied on the case (Activities/Copies.cs); each is told its outcome when it ends.</summary>
    public List<string> CopiedTo { get; set; } = [];

    /// <summary>撤回抄送: people whose copy was withdrawn and not given again; a second withdrawal is refused (decision 139).</summary>
    public List<string> CopiesWithdrawn { get; set; } = [];

    /// <summary>委派: who prepared a task for whom (one entry per delegation); each may end the access it left (decision 139).</summary>
    public List<PreparedReader> PreparedBy { get; set; } = [];

    /// <summary>Delegates whose read access was ended and not granted again by a later delegation.</summary>
    public List<string> PreparedReadingEnded { get; set; } = [];

    /// <summary>Source of bookmark ids; makes ids deterministic for a given history.</summary>
    public int NextSequence { get; set; } = 1;

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>
    /// Not part of the state (not public, so never serialised or copied): the parses <see cref="WrittenState"/> last made
    /// this object's <see cref="Input"/> and <see cref="Variables"/> from, for the next step to start from again when their
    /// text has not changed (decision 187).
    /// </summary>
    internal WrittenState.Parses? ObjectsParsedFrom { get; set; }

    public Bookmark? FindBookmark(string id) => Bookmarks.Find(b => b.Id == id);
}

public enum InstanceStatus
{
    Running,
    Completed,
    Withdrawn,
}

/// <summary>A person as the engine sees them: who they are and which unit they belong to (none for community staff).</summary>
public sealed record Participant(string PersonId, string? UnitId = null);

/// <summary>A place where the instance waits for a stimulus. Exactly one of the payloads is set.</summary>
public sealed class Bookmark
{
    public required string Id { get; init; }

    public required string ActivityId { get; init; }

    public required BookmarkKind Kind { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DueAt { get; set; }

    public TaskPayload? Task { get; set; }

    public BallotState? Ballot { get; set; }

    /// <summary>1 for the first deadline, incremented by each extension; part of the new timers' ids.</summary>
    public int DeadlineGeneration { get; set; } = 1;

    /// <summary>Timer ids owned by this bookmark (its deadline, reminders); cancelled when it closes.</summary>
    public List<string> TimerIds { get; set; } = [];
}

public enum BookmarkKind
{
    Task,
    Ballot,
    Timer,
}

/// <summary>
/// An open task: who it is offered to and how it may end, and who has it in hand (see Activities/TaskHolding.cs). A task
/// offered to a role or a unit has no <see cref="Holder"/> until one of them claims it; a task assigned to one person is
/// held by that person.
/// </summary>
public sealed record TaskPayload(Assignment Assignee, IReadOnlyList<string> Outcomes)
{
    /// <summary>The person who claimed the task, or was handed it by a transfer; absent: offered to every assignee.</summary>
    public string? Holder { get; init; }

    /// <summary>Counts the claims and transfers, so a claim timeout set for an earlier holder is recognised and ignored.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int HoldGeneration { get; init; }

    /// <summary>The holder worked on the task since taking it (a comment on it, a delegation): the claim timeout leaves it be.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Touched { get; init; }

    /// <summary>委派: the colleague preparing the task for its holder; while set the holder waits for the colleague's note.</summary>
    public string? DelegatedTo { get; init; }

    /// <summary>加签: on a signer's opinion task, the bookmark of the task that asked for it; null on an ordinary task.</summary>
    public string? SignerFor { get; init; }

    /// <summary>加签: the opinion tasks this task waits for; it cannot be completed while any is open.</summary>
    public IReadOnlyList<string>? AwaitingSigners { get; init; }

    /// <summary>The person who acts for the task now: its holder, or the one person it is assigned to.</summary>
    [JsonIgnore]
    public string? InHand => Holder ?? (Assignee.Kind == AssignmentKind.Person ? Assignee.Value : null);
}

/// <summary>Who may act on a task, resolved as far as the engine can: a role, a unit's liaisons, or one person.</summary>
public sealed record Assignment(AssignmentKind Kind, string Value);

public enum AssignmentKind
{
    Role,
    Unit,
    Person,
}
