using System.Text.Json.Nodes;
using WorkflowHost.Engine.Ballots;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// One activity that collects every eligible member's response and applies the rule: not a fork of tasks.
/// It closes when everyone has voted, when the result can no longer change (open ballots only), or at its deadline
/// (never as passed because of the deadline). Outcomes: <c>passed</c>, <c>rejected</c>, <c>no-quorum</c>.
/// </summary>
public sealed partial record BallotActivity : ActivityDefinition, IBlockingActivity, IBallotActivity, IHasDeadline, IExtendable
{
    public const string TypeName = "ballot";

    public static readonly IReadOnlyList<BallotOptionDefinition> DefaultOptions =
    [
        new() { Value = "consent", Label = LocalizedText.Of("同意", "Consent") },
        new() { Value = "object", Label = LocalizedText.Of("不同意", "Object") },
        new() { Value = "abstain", Label = LocalizedText.Of("弃权", "Abstain") },
    ];

    public required ParticipantSelector Voters { get; init; }

    /// <summary>Members belonging to the unit that submitted the instance are recused automatically.</summary>
    public bool RecuseSubmittingUnit { get; init; } = true;

    public IReadOnlyList<BallotOptionDefinition> Options { get; init; } = DefaultOptions;

    /// <summary>Secret: nobody, administrators included, can learn who chose what; only totals and who took part.</summary>
    public bool Secret { get; init; }

    /// <summary>
    /// A path into the instance data (e.g. <c>activities.place-on-agenda.data.secretBallot</c>) whose boolean decides, when the
    /// ballot opens, whether it is secret; <see cref="Secret"/> applies when the value is missing. See BallotActivity.Rounds.cs.
    /// </summary>
    public string? SecretFrom { get; init; }

    public BallotRule Rule { get; init; } = BallotRule.Default;

    /// <summary>A hard close: at this time the ballot is decided with the votes it has (never as passed because of the time).</summary>
    public DurationSpec? ClosesAfter { get; init; }

    /// <summary>The role that may enter votes cast at a physical meeting, with attestation.</summary>
    public string OfflineVotesBy { get; init; } = RoleNames.Secretary;

    /// <summary>
    /// The voting deadline. Unlike <see cref="ClosesAfter"/> it does not close the ballot: once it passes the ballot is
    /// overdue and escalates, and still waits for the votes. A definition sets at most one of the two.
    /// </summary>
    public DurationSpec? Due { get; init; }

    /// <summary>Reminders to the members who have not voted; absent: one working day before the deadline.</summary>
    public IReadOnlyList<ReminderStep>? Remind { get; init; }

    /// <summary>Only with <see cref="Due"/>; absent: the secretary at the deadline, the street committee two working days later.</summary>
    public IReadOnlyList<EscalationStep>? Escalate { get; init; }

    bool IHasDeadline.EscalatesWhenOverdue => Due is not null;

    private const string CloseSuffix = "deadline";
    private const string DueSuffix = "due";

    private string DeadlineSuffix => Due is not null ? DueSuffix : CloseSuffix;

    public override IReadOnlyList<string> DeclaredOutcomes() => BallotOutcomes.All;

    internal override void Enter(ExecutionScope scope)
    {
        var voters = Voters.ResolvePeople(scope.State, scope.Context.Directory);
        var submittingUnit = scope.State.Initiator.UnitId;
        var recusals = RecuseSubmittingUnit && submittingUnit is not null
            ? voters.Where(v => scope.Context.Directory.Find(v)?.UnitId == submittingUnit)
                .Select(v => new RecusalRecord(v, "member of the submitting unit", Automatic: true))
                .ToList()
            : [];

        var secret = IsSecret(scope);
        var bookmark = scope.CreateBookmark(BookmarkKind.Ballot);
        var ballot = new BallotState
        {
            Voters = [.. voters],
            Recusals = recusals,
            Options = [.. Options.Select(o => o.Value)],
            // Every option from the start, in the definition's order: the order of first choices would betray who chose what.
            Totals = Options.ToDictionary(o => o.Value, _ => 0),
            Secret = secret,
            ClosesAt = ClosesAfter?.AddTo(scope.Now, scope.Context.Calendar),
        };
        bookmark.Ballot = ballot;
        bookmark.DueAt = Due?.AddTo(scope.Now, scope.Context.Calendar) ?? ballot.ClosesAt;
        scope.Emit(new BallotOpened(
            bookmark.Id,
            Id,
            [.. ballot.Eligible],
            [.. recusals.Select(r => new Recusal(r.VoterId, r.Reason, r.Automatic))],
            ballot.Options,
            secret,
            ballot.ClosesAt,
            bookmark.DueAt));
        if (bookmark.DueAt is { } deadline)
        {
            Deadlines.Schedule(scope, bookmark, this, DeadlineSuffix, deadline);
        }

        scope.Journal(JournalEventTypes.BallotOpened, new JsonObject
        {
            ["bookmark"] = bookmark.Id,
            ["voters"] = ballot.Voters.Count,
            ["recused"] = new JsonArray([.. recusals.Select(r => JsonValue.Create(r.VoterId))]),
            ["secret"] = secret,
            ["rule"] = $"quorum {Rule.Quorum} of eligible; pass: '{Rule.Pass.Option}' {Rule.Pass} of {Rule.Pass.Of.ToString().ToLowerInvariant()}",
            ["closesAt"] = ballot.ClosesAt,
            ["dueAt"] = Due is null ? null : bookmark.DueAt,
        });

        // Everyone recused, for instance: nothing to wait for.
        TryClose(scope, bookmark, deadlineReached: false, firedTimerId: null);
    }

    Refusal? IBallotActivity.Vote(ExecutionScope scope, Bookmark bookmark, CastVote vote)
    {
        var ballot = bookmark.Ballot!;
        if (vote.EnteredBy is not null && scope.Context.Directory.Find(vote.EnteredBy)?.HasRole(OfflineVotesBy) != true)
        {
            return new Refusal(RefusalCode.NotAllowed, $"Only the {OfflineVotesBy} can enter votes cast at a meeting.");
        }

        if (Check(ballot, vote.VoterId) is { } refusal)
        {
            return WrittenOpinions.NeverByDeputy(scope, ballot, vote.VoterId) ?? refusal;
        }

        if (!ballot.Options.Contains(vote.Choice))
        {
            return new Refusal(RefusalCode.UnknownOption, $"'{vote.Choice}' is not an option of this ballot; expected one of: {string.Join(", ", ballot.Options)}.");
        }

        RecordVote(scope, bookmark, vote.VoterId, vote.Choice, vote.Reason, vote.EnteredBy, vote.Attestation);
        TryClose(scope, bookmark, deadlineReached: false, firedTimerId: null);
        return null;
    }

    /// <summary>Counts one vote that has passed every check; closing is the caller's business.</summary>
    private static void RecordVote(ExecutionScope scope, Bookmark bookmark, string voterId, string choice, string? reason, string? enteredBy, string? attestation = null)
    {
        var ballot = bookmark.Ballot!;
        InsertSorted(ballot.Participants, voterId);
        if (ballot.Secret)
        {
            // No running tally and no reason in the state (decision 91): whoever reads the instance row between two votes
            // would learn the vote in between. The choice is sealed by the store and counted when the ballot closes.
            scope.Emit(new VoteRecorded(bookmark.Id, voterId, Choice: null, Reason: null, Secret: true, enteredBy));
            scope.CastSecretChoice(bookmark.Id, choice);
        }
        else
        {
            ballot.Totals[choice] = ballot.TotalFor(choice) + 1;
            ballot.OpenVotes[voterId] = new VoteRecord(choice, reason, enteredBy);
            scope.Emit(new VoteRecorded(bookmark.Id, voterId, choice, reason, Secret: false, enteredBy));
        }

        var journal = new JsonObject { ["bookmark"] = bookmark.Id, ["voter"] = voterId, ["enteredBy"] = enteredBy };
        if (enteredBy is not null && attestation is not null)
        {
            journal["attestation"] = attestation;
        }

        if (!ballot.Secret)
        {
            journal["choice"] = choice;
            journal["reason"] = reason;
        }

        scope.Journal(JournalEventTypes.VoteCast, journal);
    }

    Refusal? IBallotActivity.Recuse(ExecutionScope scope, Bookmark bookmark, Runtime.Recuse recuse)
    {
        var ballot = bookmark.Ballot!;
        if (Check(ballot, recuse.VoterId) is { } refusal)
        {
            return refusal;
        }

        if (string.IsNullOrWhiteSpace(recuse.Reason))
        {
            return new Refusal(RefusalCode.InvalidInput, "A recusal needs a reason.",
                new Dictionary<string, string[]> { ["reason"] = ["A recusal needs a reason (for example: a relative of the nominee)."] });
        }

        ballot.Recusals.Add(new RecusalRecord(recuse.VoterId, recuse.Reason, Automatic: false));
        scope.Emit(new RecusalRecorded(bookmark.Id, new Recusal(recuse.VoterId, recuse.Reason, Automatic: false)));
        scope.Journal(JournalEventTypes.Recused, new JsonObject { ["bookmark"] = bookmark.Id, ["voter"] = recuse.VoterId, ["reason"] = recuse.Reason });
        TryClose(scope, bookmark, deadlineReached: false, firedTimerId: null);
        return null;
    }

    void IBlockingActivity.Cancel(ExecutionScope scope, Bookmark bookmark, CloseReason reason) =>
        scope.Emit(new BallotClosed(bookmark.Id, "cancelled", reason, bookmark.Ballot!.Totals, bookmark.Ballot.Secret));

    Refusal? IBlockingActivity.TimerFired(ExecutionScope scope, Bookmark bookmark, string timerId)
    {
        if (Deadlines.TryFire(scope, bookmark, this, timerId, NotVoted(bookmark.Ballot!)))
        {
            return null;
        }

        if (Deadlines.StepOf(timerId) == DueSuffix)
        {
            // Overdue: the ballot stays open and waits for the votes; the escalation chain takes it from here.
            bookmark.TimerIds.Remove(timerId);
            scope.VariablesOf(Id)["overdue"] = true;
            scope.Journal(JournalEventTypes.BallotOverdue, new JsonObject { ["bookmark"] = bookmark.Id, ["dueAt"] = bookmark.DueAt, ["notVoted"] = NotVoted(bookmark.Ballot!).Count });
            return null;
        }

        scope.Journal(JournalEventTypes.BallotDeadlineReached, new JsonObject { ["bookmark"] = bookmark.Id });
        TryClose(scope, bookmark, deadlineReached: true, firedTimerId: timerId);
        return null;
    }

    Refusal? IExtendable.ExtendDeadline(ExecutionScope scope, Bookmark bookmark, ExtendDeadline extend)
    {
        var refusal = Deadlines.Extend(scope, bookmark, this, DeadlineSuffix, extend, NotVoted(bookmark.Ballot!));
        if (refusal is null && Due is null)
        {
            bookmark.Ballot!.ClosesAt = bookmark.DueAt;
        }

        if (refusal is null && scope.State.Variables[Id] is JsonObject record)
        {
            record.Remove("overdue");
        }

        return refusal;
    }

    /// <summary>Eligible members who have neither voted nor been recused: the ones reminders are for.</summary>
    private static List<string> NotVoted(BallotState ballot) =>
        [.. ballot.Eligible.Where(v => ballot.Participants.BinarySearch(v, StringComparer.Ordinal) < 0)];

    private static Refusal? Check(BallotState ballot, string voterId)
    {
        if (!ballot.Voters.Contains(voterId))
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{voterId}' is not a voter on this ballot.");
        }

        if (ballot.IsRecused(voterId))
        {
            return new Refusal(RefusalCode.Recused, $"'{voterId}' is recused from this ballot.");
        }

        return ballot.Participants.BinarySearch(voterId, StringComparer.Ordinal) >= 0
            ? new Refusal(RefusalCode.AlreadyVoted, $"'{voterId}' has already voted on this ballot.")
            : null;
    }

    private void TryClose(ExecutionScope scope, Bookmark bookmark, bool deadlineReached, string? firedTimerId, string? closedBy = null)
    {
        var ballot = bookmark.Ballot!;

        // Closing a secret ballot the moment one vote settles it would tell everyone what that vote was:
        // it waits for every eligible member or for its deadline (docs/decisions/0003).
        if (ballot.Secret && !deadlineReached && ballot.Participants.Count < ballot.EligibleCount)
        {
            return;
        }

        if (ballot.Secret)
        {
            // A secret ballot that closes now (everyone has voted, or its deadline) is counted now, from the sealed choices.
            CountSealedChoices(scope, bookmark);
        }

        var outcome = BallotCount.Decide(Rule, ballot.EligibleCount, ballot.Participants.Count, ballot.TotalFor(Rule.Pass.Option), deadlineReached);
        if (outcome is null)
        {
            return;
        }

        var reason = deadlineReached ? CloseReason.DeadlinePassed : CloseReason.Decided;
        scope.CloseBookmark(bookmark, firedTimerId);
        scope.Emit(new BallotClosed(bookmark.Id, outcome, reason, ballot.Totals, ballot.Secret));

        var record = new JsonObject
        {
            ["outcome"] = outcome,
            ["eligible"] = ballot.EligibleCount,
            ["participants"] = ballot.Participants.Count,
            ["recused"] = ballot.Recusals.Count,
            ["totals"] = new JsonObject([.. ballot.Options.Select(o => KeyValuePair.Create(o, (JsonNode?)ballot.TotalFor(o)))]),
            ["secret"] = ballot.Secret,
            ["closedAt"] = scope.Now,
            ["closedBy"] = closedBy ?? (deadlineReached ? "deadline" : "votes"),
        };
        RecordRound(scope, ballot, record);
        scope.Journal(JournalEventTypes.BallotClosed, new JsonObject
        {
            ["bookmark"] = bookmark.Id,
            ["outcome"] = outcome,
            ["totals"] = record["totals"]!.DeepClone(),
            ["eligible"] = ballot.EligibleCount,
            ["participants"] = ballot.Participants.Count,
        });
        scope.Complete(outcome);
    }

    /// <summary>
    /// The totals of a secret ballot at its close: the choices sealed in earlier steps (unsealed by the store into the run
    /// context), those cast in this step, and any running tally a ballot opened before decision 91 still holds. Their
    /// number must be the number of members who voted; anything else means a sealed choice is missing or extra, and the
    /// ballot is not decided on it. The store hands in no choices up front (decision 169): a ballot that members voted on in
    /// earlier steps, closing now, asks for its own; one voted on only in this step has none stored to ask for.
    /// </summary>
    private static void CountSealedChoices(ExecutionScope scope, Bookmark bookmark)
    {
        var ballot = bookmark.Ballot!;
        var now = scope.SecretChoicesCastNow(bookmark.Id);
        IReadOnlyList<string> earlier = scope.Context.Unsealed is { } unsealed && unsealed.Holds(bookmark.Id) ? unsealed.For(bookmark.Id)
            : ballot.Participants.Count > now.Count ? throw new SealedChoicesNeededException(bookmark.Id)
            : [];
        var legacy = ballot.Totals.Values.Sum();
        if (earlier.Count + now.Count + legacy != ballot.Participants.Count)
        {
            throw new InvalidOperationException(
                $"Secret ballot {bookmark.Id}: {ballot.Participants.Count} members voted but {earlier.Count + now.Count + legacy} choices were handed in to count; the ballot is not decided.");
        }

        foreach (var choice in earlier.Concat(now))
        {
            ballot.Totals[choice] = ballot.TotalFor(choice) + 1;
        }
    }

    private static void InsertSorted(List<string> list, string value)
    {
        var index = list.BinarySearch(value, StringComparer.Ordinal);
        list.Insert(index < 0 ? ~index : index, value);
    }
}

public sealed record BallotOptionDefinition
{
    public required string Value { get; init; }

    public required LocalizedText Label { get; init; }
}
