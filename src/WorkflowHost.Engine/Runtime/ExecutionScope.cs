using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;

namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// What an activity may do while the runner executes it: create and close bookmarks, emit effects and
/// journal events, and finish with an outcome. One scope serves one stimulus; it is never shared.
/// </summary>
internal sealed class ExecutionScope
{
    private readonly Queue<string> _pending = new();
    private readonly List<Effect> _effects = [];
    private readonly Dictionary<string, List<string>> _secretChoices = new(StringComparer.Ordinal);

    public ExecutionScope(WorkflowDefinition definition, InstanceState state, RunContext context)
    {
        Definition = definition;
        State = state;
        Context = context;
    }

    public WorkflowDefinition Definition { get; }

    public InstanceState State { get; }

    public RunContext Context { get; }

    public DateTimeOffset Now => Context.Now;

    public IReadOnlyList<Effect> Effects => _effects;

    /// <summary>The activity being executed or resumed.</summary>
    public ActivityDefinition Current { get; private set; } = null!;

    public bool HasPendingWork => _pending.Count > 0;

    public void Enqueue(string activityId) => _pending.Enqueue(activityId);

    public string Dequeue() => _pending.Dequeue();

    public ExecutionScope At(ActivityDefinition activity)
    {
        Current = activity;
        return this;
    }

    public void Emit(Effect effect) => _effects.Add(effect);

    /// <summary>A secret ballot's choice cast in this step: sealed by the store, and counted here if this step closes the ballot.</summary>
    public void CastSecretChoice(string bookmarkId, string choice)
    {
        if (!_secretChoices.TryGetValue(bookmarkId, out var choices))
        {
            _secretChoices[bookmarkId] = choices = [];
        }

        choices.Add(choice);
        Emit(new SecretChoiceCast(bookmarkId, choice));
    }

    public IReadOnlyList<string> SecretChoicesCastNow(string bookmarkId) => _secretChoices.GetValueOrDefault(bookmarkId) ?? [];

    public void Journal(string type, JsonObject data) => _effects.Add(new JournalEntry(type, data));

    /// <summary>Attaches the uploads a checked form refers to (nothing is emitted when it has no files).</summary>
    public void ReferenceAttachments(IReadOnlyList<Inputs.InputField> fields, JsonObject? values)
    {
        var ids = Inputs.FileValues.In(fields, values);
        if (ids.Count > 0)
        {
            Emit(new AttachmentsReferenced(ids));
        }
    }

    /// <summary>Ends the current activity and moves the flow along every transition that leaves on <paramref name="outcome"/>.</summary>
    public void Complete(string outcome)
    {
        if (State.Status != InstanceStatus.Running)
        {
            return;
        }

        foreach (var transition in Definition.TransitionsFrom(Current.Id, outcome))
        {
            _pending.Enqueue(transition.To);
        }
    }

    public Bookmark CreateBookmark(BookmarkKind kind)
    {
        var bookmark = new Bookmark
        {
            Id = $"{Current.Id}#{State.NextSequence++}",
            ActivityId = Current.Id,
            Kind = kind,
            CreatedAt = Now,
        };
        State.Bookmarks.Add(bookmark);
        return bookmark;
    }

    public void ScheduleTimer(Bookmark bookmark, string suffix, TimerPurpose purpose, DateTimeOffset dueAt)
    {
        var timerId = $"{bookmark.Id}:{suffix}";
        bookmark.TimerIds.Add(timerId);
        Emit(new TimerScheduled(timerId, bookmark.Id, purpose, dueAt));
    }

    /// <summary>
    /// The open bookmark a stimulus names, or the refusal for it: <see cref="RefusalCode.Closed"/> for a step that has
    /// closed, <see cref="RefusalCode.NotFound"/> for one this instance never had.
    /// </summary>
    public bool TryFindOpenBookmark(string bookmarkId, [NotNullWhen(true)] out Bookmark? bookmark, [NotNullWhen(false)] out Refusal? refusal)
    {
        bookmark = State.FindBookmark(bookmarkId);
        refusal = bookmark is not null ? null
            : State.ClosedBookmarks.Contains(bookmarkId) ? new Refusal(RefusalCode.Closed, $"'{bookmarkId}' is closed.")
            : new Refusal(RefusalCode.NotFound, $"There is no '{bookmarkId}' in this instance.");
        return bookmark is not null;
    }

    /// <summary>Removes a bookmark and cancels its timers; later stimuli naming it are told it is closed.</summary>
    public void CloseBookmark(Bookmark bookmark, string? firedTimerId = null)
    {
        State.Bookmarks.Remove(bookmark);
        State.ClosedBookmarks.Add(bookmark.Id);
        foreach (var timerId in bookmark.TimerIds.Where(id => id != firedTimerId))
        {
            Emit(new TimerCancelled(timerId));
        }
    }

    /// <summary>Ends the instance: every bookmark still open is closed, nothing further runs.</summary>
    public void EndInstance(InstanceStatus status, string result, CloseReason reason)
    {
        foreach (var bookmark in State.Bookmarks.ToList())
        {
            var activity = Definition.GetActivity(bookmark.ActivityId);
            At(activity);
            if (activity is IBlockingActivity blocking)
            {
                blocking.Cancel(this, bookmark, reason);
            }

            CloseBookmark(bookmark);
        }

        State.Status = status;
        State.Result = result;
        State.EndedAt = Now;
        _pending.Clear();
        Copies.NotifyOutcome(this);
    }

    /// <summary>The data conditions and templates can read: input, activity records, and the initiator.</summary>
    public JsonObject DataView() => DataMap.ViewOf(State);

    public JsonObject VariablesOf(string activityId)
    {
        if (State.Variables[activityId] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        State.Variables[activityId] = created;
        return created;
    }
}
