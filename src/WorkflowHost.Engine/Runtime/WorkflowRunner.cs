using System.Text.Json.Nodes;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Inputs;

namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// The deterministic heart of the engine: <c>(definition, state, stimulus, context) -> (new state, effects)</c>.
/// It never mutates the state it is given, reads no clock and touches no I/O, so the same inputs always
/// give the same result and a refused stimulus changes nothing.
/// </summary>
public static class WorkflowRunner
{
    /// <summary>Guards against a definition that loops through non-blocking activities forever.</summary>
    public const int MaxActivitiesPerStimulus = 1_000;

    public static RunResult Start(WorkflowDefinition definition, StartInstance start, RunContext context)
    {
        var initiator = context.Directory.Find(start.InitiatorId);
        if (initiator is null)
        {
            return RunResult.Refuse(new Refusal(RefusalCode.NotAllowed, $"'{start.InitiatorId}' is not known in community '{start.CommunityId}'."));
        }

        if (definition.StartableBy.Count > 0 && !definition.StartableBy.Any(initiator.HasRole))
        {
            return RunResult.Refuse(new Refusal(RefusalCode.NotAllowed,
                $"Only {string.Join(" or ", definition.StartableBy)} can start '{definition.Id}'."));
        }

        var (input, refusal) = InputValidation.Validate(definition, start.Input, context);
        if (refusal is not null)
        {
            return RunResult.Refuse(refusal);
        }

        var state = new InstanceState
        {
            InstanceId = start.InstanceId,
            CommunityId = start.CommunityId,
            DefinitionId = definition.Id,
            DefinitionHash = definition.ContentHash,
            Initiator = new Participant(initiator.Id, initiator.UnitId),
            Input = input!,
            StartedAt = context.Now,
            UpdatedAt = context.Now,
        };
        var scope = new ExecutionScope(definition, state, context);
        scope.Journal(JournalEventTypes.InstanceStarted, new JsonObject
        {
            ["definition"] = definition.Id,
            ["revision"] = definition.Revision,
            ["initiator"] = initiator.Id,
            ["unit"] = initiator.UnitId,
            ["input"] = input!.DeepClone(),
        });
        scope.ReferenceAttachments(definition.Inputs, input);
        scope.Enqueue(definition.Start);
        Drain(scope);
        return RunResult.Accept(state, scope.Effects);
    }

    public static RunResult Resume(WorkflowDefinition definition, InstanceState current, Stimulus stimulus, RunContext context) =>
        Resume(definition, current, stimulus, context, StateCopy.Of);

    /// <summary>
    /// <see cref="Resume(WorkflowDefinition, InstanceState, Stimulus, RunContext)"/> for a caller that hands the state over:
    /// one it just parsed from the store and drops whatever the answer. The run changes <paramref name="handedOver"/>
    /// itself instead of a copy, which saved a vote the copy's allocations (decision 160); after a refusal it may be
    /// half changed, so the caller must not use it again.
    /// </summary>
    public static RunResult ResumeHandedOver(WorkflowDefinition definition, InstanceState handedOver, Stimulus stimulus, RunContext context) =>
        Resume(definition, handedOver, stimulus, context, static state => state);

    private static RunResult Resume(WorkflowDefinition definition, InstanceState current, Stimulus stimulus, RunContext context, Func<InstanceState, InstanceState> workingCopy)
    {
        if (definition.ContentHash != current.DefinitionHash)
        {
            throw new InvalidOperationException(
                $"Instance {current.InstanceId} runs on revision {current.DefinitionHash}, not {definition.ContentHash}.");
        }

        if (stimulus is IReaderWithdrawal)
        {
            return ReaderWithdrawals.Run(definition, workingCopy(current), stimulus, context);
        }

        if (current.Status != InstanceStatus.Running)
        {
            return RunResult.Refuse(new Refusal(RefusalCode.InstanceEnded, $"The instance has ended ({current.Result})."));
        }

        var state = workingCopy(current);
        state.UpdatedAt = context.Now;
        var scope = new ExecutionScope(definition, state, context);
        var refusal = stimulus switch
        {
            CompleteTask complete => WithBookmark<ITaskActivity>(scope, complete.BookmarkId, BookmarkKind.Task,
                (task, bookmark) => task.Complete(scope, bookmark, complete)),
            CastVote vote => WithBookmark<IBallotActivity>(scope, vote.BookmarkId, BookmarkKind.Ballot,
                (ballot, bookmark) => ballot.Vote(scope, bookmark, vote)),
            Recuse recuse => WithBookmark<IBallotActivity>(scope, recuse.BookmarkId, BookmarkKind.Ballot,
                (ballot, bookmark) => ballot.Recuse(scope, bookmark, recuse)),
            VoterLeft left => WithBookmark<IBallotActivity>(scope, left.BookmarkId, BookmarkKind.Ballot,
                (ballot, bookmark) => ballot.VoterLeft(scope, bookmark, left)),
            FireTimer fire => FireTimer(scope, fire),
            ExtendDeadline extend => WithBookmark<IExtendable>(scope, extend.BookmarkId, kind: null,
                (extendable, bookmark) => extendable.ExtendDeadline(scope, bookmark, extend),
                bookmark => new Refusal(RefusalCode.NotAllowed, $"'{bookmark.Id}' has no deadline to extend.")),
            Withdraw withdraw => Withdraw(scope, withdraw),
            CopyCase copy => Copies.Copy(scope, copy),
            RouteForLeave leave => Absences.RouteOpenTasks(scope, leave),
            RecordMeetingVotes meeting => WithBookmark<IBallotActivity>(scope, meeting.BookmarkId, BookmarkKind.Ballot,
                (ballot, bookmark) => ballot.RecordMeeting(scope, bookmark, meeting)),
            Contribute contribute => WithBookmark<CollectActivity>(scope, contribute.BookmarkId, BookmarkKind.Task,
                (collect, bookmark) => collect.Contribute(scope, bookmark, contribute), NotACollection),
            RetractContribution retract => WithBookmark<CollectActivity>(scope, retract.BookmarkId, BookmarkKind.Task,
                (collect, bookmark) => collect.Retract(scope, bookmark, retract), NotACollection),
            AddComment comment => Comments.Add(scope, comment),
            CloseOverdueBallot close => WithBookmark<BallotActivity>(scope, close.BookmarkId, BookmarkKind.Ballot,
                (ballot, bookmark) => ballot.CloseOverdue(scope, bookmark, close)),
            UrgeStep urge => WithBookmark<IUrgeable>(scope, urge.BookmarkId, kind: null,
                (step, bookmark) => Urging.Urge(scope, bookmark, step, urge),
                bookmark => new Refusal(RefusalCode.NotAllowed, $"'{bookmark.Id}' is not a step people act on; there is nobody to urge.")),
            LeaveWrittenOpinion opinion => WithBookmark<BallotActivity>(scope, opinion.BookmarkId, BookmarkKind.Ballot,
                (ballot, bookmark) => ballot.LeaveOpinion(scope, bookmark, opinion)),
            AddSigners add => WithBookmark<HumanTaskActivity>(scope, add.BookmarkId, BookmarkKind.Task,
                (human, bookmark) => Signers.Add(scope, bookmark, human.Moves ?? TaskMoveRules.Default, add),
                bookmark => new Refusal(RefusalCode.NotAllowed, $"'{bookmark.Id}' cannot ask for opinions.")),
            ClaimTask claim => WithHoldable(scope, claim.BookmarkId, (rules, bookmark) => TaskHolding.Claim(scope, bookmark, rules, claim)),
            ReleaseTask release => WithHoldable(scope, release.BookmarkId, (_, bookmark) => TaskHolding.Release(scope, bookmark, release)),
            TransferTask transfer => WithHoldable(scope, transfer.BookmarkId, (rules, bookmark) => TaskHolding.Transfer(scope, bookmark, rules, transfer)),
            DelegateTask delegation => WithHoldable(scope, delegation.BookmarkId, (rules, bookmark) => TaskHolding.Delegate(scope, bookmark, rules, delegation)),
            ReturnDelegatedTask back => WithHoldable(scope, back.BookmarkId, (_, bookmark) => TaskHolding.Return(scope, bookmark, back)),
            _ => throw new ArgumentException($"The runner cannot resume with a '{stimulus.Kind}' stimulus.", nameof(stimulus)),
        };

        if (refusal is not null)
        {
            return RunResult.Refuse(refusal);
        }

        Drain(scope);
        return RunResult.Accept(state, scope.Effects);
    }

    /// <summary>
    /// Finds the open bookmark a stimulus names (of <paramref name="kind"/>, when given) and hands it to its activity, if
    /// that activity is a <typeparamref name="TActivity"/>; otherwise <paramref name="otherwise"/> says why not. Without
    /// <paramref name="otherwise"/> the kind alone guarantees the activity type, and a mismatch is a bug in the engine.
    /// </summary>
    private static Refusal? WithBookmark<TActivity>(ExecutionScope scope, string bookmarkId, BookmarkKind? kind,
        Func<TActivity, Bookmark, Refusal?> act, Func<Bookmark, Refusal>? otherwise = null)
        where TActivity : class
    {
        if (!scope.TryFindOpenBookmark(bookmarkId, out var bookmark, out var notOpen))
        {
            return notOpen;
        }

        if (kind is { } expected && bookmark.Kind != expected)
        {
            return new Refusal(RefusalCode.NotFound, $"'{bookmarkId}' is a {bookmark.Kind.ToString().ToLowerInvariant()}, not a {expected.ToString().ToLowerInvariant()}.");
        }

        var activity = scope.Definition.GetActivity(bookmark.ActivityId);
        scope.At(activity);
        return activity switch
        {
            TActivity typed => act(typed, bookmark),
            _ when otherwise is not null => otherwise(bookmark),
            _ => throw new InvalidOperationException(
                $"Activity '{activity.Id}' ({activity.Type}) holds {kind} bookmark '{bookmarkId}' but is not a {typeof(TActivity).Name}."),
        };
    }

    private static Refusal? WithHoldable(ExecutionScope scope, string bookmarkId, Func<TaskMoveRules, Bookmark, Refusal?> move) =>
        WithBookmark<IHoldableTask>(scope, bookmarkId, BookmarkKind.Task,
            (task, bookmark) => bookmark.Task?.SignerFor is not null ? OpinionTaskStays(bookmark) : move(task.MoveRules, bookmark),
            bookmark => new Refusal(RefusalCode.NotAllowed, $"'{bookmark.Id}' is not a task that moves between people."));

    /// <summary>
    /// An opinion (加签) is asked of one person by name (docs/decisions/0120): they answer it or let it lapse; handing it to a
    /// colleague would give the holder an opinion from someone they did not ask.
    /// </summary>
    private static Refusal OpinionTaskStays(Bookmark bookmark) =>
        new(RefusalCode.NotAllowed, $"'{bookmark.Id}' asks one person for an opinion; it is answered by them and does not move between people.");

    private static Refusal NotACollection(Bookmark bookmark) =>
        new(RefusalCode.NotFound, $"'{bookmark.Id}' is a task, not a collection.");

    private static Refusal? FireTimer(ExecutionScope scope, FireTimer fire)
    {
        var bookmark = scope.State.Bookmarks.Find(b => b.TimerIds.Contains(fire.TimerId));
        if (bookmark is null)
        {
            var owner = fire.TimerId.Split(':')[0];
            return scope.State.ClosedBookmarks.Contains(owner)
                ? new Refusal(RefusalCode.Closed, $"Timer '{fire.TimerId}' belongs to a closed step.")
                : new Refusal(RefusalCode.NotFound, $"There is no timer '{fire.TimerId}' in this instance.");
        }

        var activity = scope.Definition.GetActivity(bookmark.ActivityId);
        scope.At(activity);
        scope.Journal(JournalEventTypes.TimerFired, new JsonObject { ["timer"] = fire.TimerId });
        return ((IBlockingActivity)activity).TimerFired(scope, bookmark, fire.TimerId);
    }

    private static Refusal? Withdraw(ExecutionScope scope, Withdraw withdraw)
    {
        if (withdraw.ActorId != scope.State.Initiator.PersonId)
        {
            return new Refusal(RefusalCode.NotAllowed, "Only the initiator can withdraw an instance.");
        }

        scope.EndInstance(InstanceStatus.Withdrawn, "withdrawn", CloseReason.Withdrawn);
        scope.Journal(JournalEventTypes.InstanceWithdrawn, new JsonObject { ["by"] = withdraw.ActorId, ["reason"] = withdraw.Reason });
        return null;
    }

    private static void Drain(ExecutionScope scope)
    {
        var steps = 0;
        while (scope.HasPendingWork && scope.State.Status == InstanceStatus.Running)
        {
            if (++steps > MaxActivitiesPerStimulus)
            {
                throw new InvalidOperationException(
                    $"Definition '{scope.Definition.Id}' ran {MaxActivitiesPerStimulus} activities for one stimulus without waiting; it loops.");
            }

            var activity = scope.Definition.GetActivity(scope.Dequeue());
            activity.Enter(scope.At(activity));
        }
    }
}
