using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// 加签: ad hoc opinion tasks on a human task. Each signer gets a task of the same activity with the single outcome
/// <see cref="Outcome"/>; it records an opinion under <c>activities.{id}.opinions</c> and moves no flow. The holder's task
/// cannot be completed while an opinion task is open; an opinion task closes at its deadline without an opinion.
/// </summary>
internal static class Signers
{
    public const string Outcome = "opinion";
    public const string DueSuffix = "signer-due";

    public static Refusal? Add(ExecutionScope scope, Bookmark bookmark, TaskMoveRules rules, AddSigners add)
    {
        var task = bookmark.Task!;
        if (rules.AddSigners is not { } signerRules)
        {
            return new Refusal(RefusalCode.NotAllowed, $"The process does not let '{bookmark.ActivityId}' ask for opinions.");
        }

        if (task.SignerFor is not null)
        {
            return new Refusal(RefusalCode.NotAllowed, "An opinion task cannot ask for further opinions.");
        }

        if (task.InHand != add.ActorId || task.DelegatedTo is not null)
        {
            return new Refusal(RefusalCode.NotHolder, task.InHand is null
                ? $"'{bookmark.Id}' is not held by anyone; claim it before you ask for opinions."
                : $"Only the holder of '{bookmark.Id}' can ask for opinions.");
        }

        var signers = add.Signers.Distinct(StringComparer.Ordinal).ToList();
        if (signers.Count == 0 || signers.Count > AddSigners.MaxSigners)
        {
            var message = $"Name between 1 and {AddSigners.MaxSigners} people to ask.";
            return new Refusal(RefusalCode.InvalidInput, message, new Dictionary<string, string[]> { ["signers"] = [message] });
        }

        var allowed = signerRules.From.ResolvePeople(scope.State, scope.Context.Directory);
        if (signers.FirstOrDefault(s => s == add.ActorId || !allowed.Contains(s)) is { } notAllowed)
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{notAllowed}' cannot be asked for an opinion on '{bookmark.ActivityId}'.");
        }

        // The definition's due is the longest the holder may let a signer take; the holder may ask for less.
        var latest = signerRules.Due.AddTo(scope.Now, scope.Context.Calendar);
        if (add.DueAt is { } asked && (asked <= scope.Now || asked > latest))
        {
            var message = $"The deadline must be later than now and no later than {latest:O}.";
            return new Refusal(RefusalCode.InvalidInput, message, new Dictionary<string, string[]> { ["dueAt"] = [message] });
        }

        var dueAt = add.DueAt ?? latest;
        var opened = new List<string>();
        foreach (var signer in signers)
        {
            var opinion = scope.CreateBookmark(BookmarkKind.Task);
            var assignment = new Assignment(AssignmentKind.Person, signer);
            opinion.Task = new TaskPayload(assignment, [Outcome]) { SignerFor = bookmark.Id };
            opinion.DueAt = dueAt;
            scope.Emit(new TaskOpened(opinion.Id, bookmark.ActivityId, assignment, [Outcome], dueAt));
            scope.ScheduleTimer(opinion, DueSuffix, TimerPurpose.Deadline, dueAt);
            opened.Add(opinion.Id);
        }

        bookmark.Task = task with { AwaitingSigners = [.. task.AwaitingSigners ?? [], .. opened], Touched = true };
        RecordRequests(scope, bookmark, add, opened, signers, dueAt);
        scope.Journal(JournalEventTypes.SignersAdded, new JsonObject
        {
            ["bookmark"] = bookmark.Id, ["by"] = add.ActorId, ["signers"] = new JsonArray([.. signers.Select(s => JsonValue.Create(s))]),
            ["tasks"] = new JsonArray([.. opened.Select(s => JsonValue.Create(s))]), ["question"] = add.Question, ["dueAt"] = dueAt,
        });
        return null;
    }

    /// <summary>
    /// What was asked of whom, under <c>activities.{id}.opinionRequests</c>: the signer's page shows the question, the
    /// holder's page whom it waits for and until when. The journal has the same, but pages read state, not the journal.
    /// </summary>
    private static void RecordRequests(ExecutionScope scope, Bookmark bookmark, AddSigners add, List<string> tasks, List<string> signers, DateTimeOffset dueAt)
    {
        var record = scope.VariablesOf(bookmark.ActivityId);
        if (record["opinionRequests"] is not JsonArray requests)
        {
            record["opinionRequests"] = requests = [];
        }

        for (var i = 0; i < tasks.Count; i++)
        {
            requests.Add(new JsonObject
            {
                ["bookmark"] = bookmark.Id, ["task"] = tasks[i], ["signer"] = signers[i], ["by"] = add.ActorId,
                ["question"] = add.Question, ["dueAt"] = dueAt, ["at"] = scope.Now,
            });
        }
    }

    /// <summary>
    /// The secretary moves an opinion task's deadline: only its own closing timer is laid again (under the next generation,
    /// so it still reads as <see cref="DueSuffix"/>), with no reminders or escalations, which an opinion task never had.
    /// </summary>
    public static Refusal? Extend(ExecutionScope scope, Bookmark opinion, ExtendDeadline extend) =>
        Deadlines.Extend(scope, opinion, OpinionDeadline.Instance, DueSuffix, extend, [opinion.Task!.Assignee.Value]);

    private sealed class OpinionDeadline : IHasDeadline
    {
        public static readonly OpinionDeadline Instance = new();

        public IReadOnlyList<ReminderStep>? Remind => [];

        public IReadOnlyList<EscalationStep>? Escalate => [];

        public bool EscalatesWhenOverdue => false;
    }

    /// <summary>A signer gives their opinion: recorded and journaled; the asking task stops waiting for it. No flow moves.</summary>
    public static Refusal? Give(ExecutionScope scope, Bookmark opinion, CompleteTask stimulus)
    {
        if (string.IsNullOrWhiteSpace(stimulus.Comment))
        {
            return new Refusal(RefusalCode.InvalidInput, "An opinion needs its text.", new Dictionary<string, string[]> { ["comment"] = ["Write your opinion."] });
        }

        Close(scope, opinion, CloseReason.Completed, stimulus.Outcome, stimulus.ActorId, firedTimerId: null);
        var record = scope.VariablesOf(opinion.ActivityId);
        if (record["opinions"] is not JsonArray opinions)
        {
            record["opinions"] = opinions = [];
        }

        var asking = opinion.Task!.SignerFor!;
        opinions.Add(new JsonObject { ["bookmark"] = asking, ["task"] = opinion.Id, ["by"] = stimulus.ActorId, ["text"] = stimulus.Comment, ["at"] = scope.Now });
        scope.Journal(JournalEventTypes.SignerOpinionGiven, new JsonObject
        {
            ["bookmark"] = asking, ["task"] = opinion.Id, ["by"] = stimulus.ActorId, ["opinion"] = stimulus.Comment,
        });
        return null;
    }

    /// <summary>An opinion task's deadline: it closes without an opinion, and the asking task stops waiting. Returns false for other timers.</summary>
    public static bool TryFireDue(ExecutionScope scope, Bookmark opinion, string timerId)
    {
        if (opinion.Task?.SignerFor is not { } asking || Deadlines.StepOf(timerId) != DueSuffix)
        {
            return false;
        }

        Close(scope, opinion, CloseReason.DeadlinePassed, null, null, timerId);
        scope.Journal(JournalEventTypes.SignerOpinionMissed, new JsonObject
        {
            ["bookmark"] = asking, ["task"] = opinion.Id, ["signer"] = opinion.Task.Assignee.Value, ["dueAt"] = opinion.DueAt,
        });
        return true;
    }

    /// <summary>The refusal to complete a task that still waits for opinions, or null.</summary>
    public static Refusal? Waiting(Bookmark bookmark) =>
        bookmark.Task?.AwaitingSigners is { Count: > 0 } waiting
            ? new Refusal(RefusalCode.AwaitingOpinions,
                $"'{bookmark.Id}' waits for {waiting.Count.ToString(CultureInfo.InvariantCulture)} opinion(s) it asked for; complete it once they are in or their deadline passed.")
            : null;

    private static void Close(ExecutionScope scope, Bookmark opinion, CloseReason reason, string? outcome, string? by, string? firedTimerId)
    {
        scope.CloseBookmark(opinion, firedTimerId);
        scope.Emit(new TaskClosed(opinion.Id, reason, outcome, by));
        if (scope.State.FindBookmark(opinion.Task!.SignerFor!) is { Task: { } asking } parent)
        {
            parent.Task = asking with { AwaitingSigners = [.. (asking.AwaitingSigners ?? []).Where(id => id != opinion.Id)] };
        }
    }
}
