using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Replies;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Features.Instances;

/// <summary>Builds what a caller may see of instances. Every query starts from <see cref="Access.VisibleTo"/>.</summary>
public sealed class InstanceReader(IDbContextFactory<WorkflowDbContext> contexts, DefinitionCatalog catalog, ReplyCodes codes, TimeProvider time, Engine.Time.IWorkingCalendar calendar)
{
    public async Task<InstanceView?> GetAsync(Caller caller, Guid id, CancellationToken cancellationToken) =>
        (await GetWithDefinitionAsync(caller, id, cancellationToken))?.View;

    /// <summary>
    /// The instance with the definition revision it runs on (not the one published now): a page draws a running instance
    /// with its own revision's steps, labels and fields.
    /// </summary>
    public async Task<InstanceRead?> GetWithDefinitionAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Instances.AsNoTracking().OneVisibleTo(id, db, caller).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var state = JsonSerializer.Deserialize<InstanceState>(row.StateJson, EngineJson.Options)!;
        var definition = await catalog.GetRevisionAsync(db, row.DefinitionHash, cancellationToken);
        var items = (await db.WorkItems.AsNoTracking().Where(w => w.InstanceId == id).ToListAsync(cancellationToken))
            .OrderBy(w => w.OpenedAt).ThenBy(w => Sequence(w.BookmarkId)).ToList();
        var voters = await db.BallotVoters.AsNoTracking().Where(v => v.InstanceId == id).OrderBy(v => v.PersonId).ToListAsync(cancellationToken);
        var closings = await db.JournalEvents.AsNoTracking()
            .Where(e => e.InstanceId == id && (e.Type == JournalEventTypes.TaskCompleted || e.Type == JournalEventTypes.BallotClosed || e.Type == JournalEventTypes.InputAmended))
            .OrderBy(e => e.Sequence)
            .Select(e => new { e.Type, e.DataJson, e.OccurredAt }).ToListAsync(cancellationToken);
        var numbers = await db.IssuedNumbers.AsNoTracking().Where(n => n.InstanceId == id).OrderBy(n => n.IssuedAt).ToListAsync(cancellationToken);
        var names = await NamesAsync(db, row.CommunityId, caller, cancellationToken);

        var amendments = closings.Where(c => c.Type == JournalEventTypes.InputAmended)
            .Select(c => Amendments.From(JsonNode.Parse(c.DataJson)!.AsObject(), c.OccurredAt)).ToList();
        var closed = closings.Where(c => c.Type != JournalEventTypes.InputAmended).Select(c => (c.Type, Data: JsonNode.Parse(c.DataJson)!.AsObject()))
            .Where(c => c.Data["bookmark"] is not null)
            .GroupBy(c => c.Data["bookmark"]!.GetValue<string>())
            .ToDictionary(g => g.Key, g => g.Last().Data);

        var now = time.GetUtcNow();
        var away = await VotersAwayAsync(db, caller, row.CommunityId, items, now, cancellationToken);
        var steps = items.Select(item => Step(caller, row, state, definition, item, voters.Where(v => v.BookmarkId == item.BookmarkId).ToList(), closed.GetValueOrDefault(item.BookmarkId), names, now, away)).ToList();
        var documents = numbers.Select(n => new DocumentView(
            n.Series, n.ActivityId, definition.FindActivity(n.ActivityId)?.Name, n.Number, n.IssuedAt, row.Result, codes.CodeFor(n),
            $"/api/replies/verify?number={Uri.EscapeDataString(n.Number)}&code={Uri.EscapeDataString(codes.CodeFor(n))}")).ToList();

        var self = $"/api/instances/{id}";
        var view = new InstanceView(
            row.Id, row.DefinitionId, definition.Name, definition.Revision, row.Status, row.Result, row.CommunityId,
            row.UnitId is null ? null : new UnitRef(row.UnitId, names.Units.GetValueOrDefault(row.UnitId)),
            Person(names, row.InitiatorId), row.CreatedAt, row.UpdatedAt, row.EndedAt, state.Input,
            [.. steps.Where(s => s.Status == WorkItemStatus.Open)],
            [.. steps.Where(s => s.Status != WorkItemStatus.Open)],
            documents,
            new InstanceLinks(self, $"{self}/timeline", $"{self}/timeline/verification", $"/api/processes/{row.DefinitionId}/diagram.svg",
                row.Status == InstanceRowStatus.Running && row.InitiatorId == caller.PersonId ? $"{self}/withdraw" : null, $"{self}/comments"),
            amendments);
        return new InstanceRead(view, definition, state);
    }

    /// <summary>The instance's comments, oldest first, or null when the caller may not see the instance (404, as for the instance).</summary>
    public async Task<IReadOnlyList<CommentView>?> CommentsAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var communityId = await db.Instances.AsNoTracking().OneVisibleTo(id, db, caller).Select(i => i.CommunityId).FirstOrDefaultAsync(cancellationToken);
        if (communityId is null)
        {
            return null;
        }

        var rows = await db.Set<InstanceComment>().AsNoTracking().Where(c => c.InstanceId == id).ToListAsync(cancellationToken);
        var names = await NamesAsync(db, communityId, caller, cancellationToken);
        return [.. rows.OrderBy(c => c.CreatedAt).ThenBy(c => Sequence(c.CommentId))
            .Select(c => new CommentView(c.CommentId, Person(names, c.ActorId), c.BookmarkId, c.Text, c.CreatedAt, CommentFileView.From(c.FilesJson)))];
    }

    public async Task<InstancePage> ListAsync(Caller caller, InstanceFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Instances.AsNoTracking().VisibleTo(db, caller);
        if (filter.Process is { } process)
        {
            query = query.Where(i => i.DefinitionId == process);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(i => i.Status == status);
        }

        if (filter.Unit is { } unit)
        {
            query = query.Where(i => i.UnitId == unit);
        }

        if (filter.StartedFrom is { } from)
        {
            query = query.Where(i => i.CreatedAt >= from);
        }

        if (filter.StartedBefore is { } before)
        {
            query = query.Where(i => i.CreatedAt < before);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id)
            .Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize)
            .ToListAsync(cancellationToken);
        var names = await NamesAsync(db, caller.CommunityId, caller, cancellationToken, rows.Select(r => r.CommunityId).Distinct().ToList());
        var items = rows.Select(r => new InstanceSummary(
            r.Id, r.DefinitionId, catalog.Current(r.DefinitionId)?.Name, r.Status, r.Result, r.CommunityId,
            r.UnitId is null ? null : new UnitRef(r.UnitId, names.Units.GetValueOrDefault(r.UnitId)),
            Person(names, r.InitiatorId), r.CreatedAt, r.UpdatedAt, r.EndedAt, $"/api/instances/{r.Id}")).ToList();
        return new InstancePage(items, filter.Page, filter.PageSize, total);
    }

    internal sealed record Names(IReadOnlyDictionary<string, string> People, IReadOnlyDictionary<string, string> Units);

    internal static async Task<Names> NamesAsync(WorkflowDbContext db, string communityId, Caller caller, CancellationToken cancellationToken, IReadOnlyList<string>? communities = null)
    {
        var ids = communities is { Count: > 0 } ? communities : [communityId];
        var english = LocalizedText.IsEnglish(caller.Language);
        var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.CommunityId))
            .Select(p => new { p.Id, Name = english ? p.NameEn : p.NameZh }).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var units = await db.Units.AsNoTracking().Where(u => ids.Contains(u.CommunityId))
            .Select(u => new { u.Id, Name = english ? u.NameEn : u.NameZh }).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        return new Names(people, units);
    }

    private static PersonRef Person(Names names, string id) => new(id, names.People.GetValueOrDefault(id));

    /// <summary>Bookmark ids end in <c>#n</c>, n growing with the instance's history: the order steps were opened in.</summary>
    internal static int Sequence(string bookmarkId) =>
        int.TryParse(bookmarkId.AsSpan(bookmarkId.LastIndexOf('#') + 1), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>
    /// The leaves (请假) of the community that last until today or later, read only when an open ballot's voter list is
    /// shown to the caller: no query for anyone else, nor for an instance with no open ballot.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, DateOnly>> VotersAwayAsync(
        WorkflowDbContext db, Caller caller, string communityId, List<WorkItem> items, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!caller.SeesBallotDetail || !items.Any(w => w.Kind == WorkItemKind.Ballot && w.Status == WorkItemStatus.Open))
        {
            return new Dictionary<string, DateOnly>();
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, calendar.TimeZone).DateTime);
        return await db.Absences.AsNoTracking().Where(a => a.CommunityId == communityId && a.LastDay >= today)
            .ToDictionaryAsync(a => a.PersonId, a => a.LastDay, StringComparer.Ordinal, cancellationToken);
    }

    private static StepView Step(
        Caller caller, WorkflowInstance row, InstanceState state, WorkflowDefinition definition, WorkItem item,
        IReadOnlyList<BallotVoter> voters, JsonObject? closing, Names names, DateTimeOffset now, IReadOnlyDictionary<string, DateOnly> away)
    {
        var activity = definition.FindActivity(item.ActivityId);
        var open = item.Status == WorkItemStatus.Open;
        var secretary = caller.Has(RoleNames.Secretary) && caller.CommunityId == row.CommunityId;
        var urger = caller.CommunityId == row.CommunityId && UrgeStep.UrgedBy.Any(caller.Has);
        var stepPath = $"/api/instances/{row.Id}/steps/{Uri.EscapeDataString(item.BookmarkId)}";
        TaskView? task = null;
        BallotView? ballot = null;
        var links = new StepLinks(null, null, null, null, null);
        if (item.Kind == WorkItemKind.Task)
        {
            var offeredToMe = open && caller.CommunityId == row.CommunityId && item.AssigneeKind switch
            {
                AssigneeKind.Role => caller.Has(item.AssigneeValue!),
                AssigneeKind.Unit => caller.LiaisonOfUnit == item.AssigneeValue,
                _ => caller.PersonId == item.AssigneeValue,
            };

            // A held task is the holder's to complete, and nobody's while a colleague prepares it (TaskHolding.CheckCompletion).
            var canComplete = offeredToMe && (item.HolderId is null || item.HolderId == caller.PersonId) && item.DelegateId is null;
            var outcomes = StepOutcomes.Of(activity, state, item.BookmarkId);
            task = new TaskView(item.AssigneeKind ?? "", item.AssigneeValue ?? "", outcomes, canComplete, item.Outcome,
                item.ClosedBy is null ? null : Person(names, item.ClosedBy), closing?["comment"]?.GetValue<string>(),
                item.HolderId is null ? null : Person(names, item.HolderId), item.DelegateId is null ? null : Person(names, item.DelegateId));
            links = links with
            {
                Complete = canComplete ? $"{stepPath}/complete" : null,
                Deadline = open && StepOutcomes.MayExtend(caller, row, activity, item, secretary) ? $"{stepPath}/deadline" : null,
                Urge = open && activity is HumanTaskActivity && urger ? $"{stepPath}/urge" : null,
                Contribute = open && activity is CollectActivity && caller.CommunityId == row.CommunityId ? $"{stepPath}/contributions" : null,
                Moves = open ? TaskMoveLinks.For(caller, activity, item, offeredToMe, state.FindBookmark(item.BookmarkId)?.Task?.SignerFor is not null, stepPath) : null,
            };
        }
        else if (item.Kind == WorkItemKind.Ballot)
        {
            ballot = Ballot(caller, state, activity as BallotActivity, item, voters, closing, names, away);
            links = links with
            {
                Vote = ballot.CanVote ? $"{stepPath}/vote" : null,
                Recuse = ballot.CanVote ? $"{stepPath}/recuse" : null,
                OfflineVotes = open && secretary ? $"{stepPath}/offline-votes" : null,
                MeetingVotes = open && secretary ? $"{stepPath}/meeting-votes" : null,
                Deadline = open && secretary ? $"{stepPath}/deadline" : null,
                Urge = open && urger ? $"{stepPath}/urge" : null,
                CloseOverdue = open && secretary && activity is BallotActivity { Due: not null } && item.DueAt is { } dueAt && dueAt <= now ? $"{stepPath}/close" : null,
            };
        }

        var urged = state.Variables[item.ActivityId]?["urged"]?[item.BookmarkId] is JsonArray days
            ? days.Select(d => d!.GetValue<string>()).ToList()
            : [];
        return new StepView(item.BookmarkId, item.ActivityId, activity?.Name, item.Kind, item.Status, item.OpenedAt, item.DueAt,
            open && item.DueAt is { } due && due < now, item.ClosedAt, item.CloseReason, task, ballot, open ? links : null, urged);
    }

    private static BallotView Ballot(Caller caller, InstanceState state, BallotActivity? activity, WorkItem item, IReadOnlyList<BallotVoter> voters, JsonObject? closing, Names names,
        IReadOnlyDictionary<string, DateOnly> away)
    {
        var open = item.Status == WorkItemStatus.Open;
        var live = state.FindBookmark(item.BookmarkId)?.Ballot;
        var secret = live?.Secret ?? activity?.Secret ?? true;
        var options = (activity?.Options ?? BallotActivity.DefaultOptions).Select(o => new OutcomeView(o.Value, o.Label)).ToList();

        IReadOnlyDictionary<string, int>? totals = null;
        if (open && !secret && live is not null)
        {
            totals = live.Options.ToDictionary(o => o, live.TotalFor, StringComparer.Ordinal);
        }
        else if (!open && closing?["totals"] is JsonObject closedTotals)
        {
            totals = closedTotals.ToDictionary(t => t.Key, t => t.Value?.GetValue<int>() ?? 0, StringComparer.Ordinal);
        }

        var mine = voters.FirstOrDefault(v => v.PersonId == caller.PersonId);
        var recused = voters.Count(v => v.Status == VoterStatus.Recused);
        IReadOnlyList<VoterView>? list = caller.SeesBallotDetail
            ? [.. voters.Select(v => new VoterView(
                Person(names, v.PersonId), v.Status, v.RespondedAt,
                secret ? null : v.Choice, secret ? null : v.Reason,
                v.EnteredBy is null ? null : Person(names, v.EnteredBy), v.RecusalReason, v.AutomaticRecusal))]
            : null;
        return new BallotView(
            secret, options, voters.Count, voters.Count - recused, voters.Count(v => v.Status == VoterStatus.Voted), recused,
            open ? null : item.Outcome, totals, null, mine?.Status, open && mine?.Status == VoterStatus.Pending, list,
            secret ? null : WrittenOpinionsOf(state, item, names),
            list is null || !open ? null
                : [.. voters.Where(v => v.Status == VoterStatus.Pending && away.ContainsKey(v.PersonId))
                    .Select(v => new VoterAwayView(Person(names, v.PersonId), away[v.PersonId]))]);
    }

    /// <summary>The written opinions of the ballot, from the instance's state: no query of their own. None on a secret ballot.</summary>
    private static IReadOnlyList<WrittenOpinionView>? WrittenOpinionsOf(InstanceState state, WorkItem item, Names names) =>
        state.Variables[item.ActivityId]?["writtenOpinions"] is JsonArray opinions
            ? [.. opinions.OfType<JsonObject>().Where(o => o["bookmark"]?.GetValue<string>() == item.BookmarkId)
                .Select(o => new WrittenOpinionView(Person(names, o["by"]!.GetValue<string>()), o["text"]!.GetValue<string>(), o["at"]!.GetValue<DateTimeOffset>()))]
            : null;
}

/// <summary>An instance as a page needs it: the caller's view, the revision it runs on, and its state (the lookups attached to it).</summary>
public sealed record InstanceRead(InstanceView View, WorkflowDefinition Definition, InstanceState State);

/// <summary>A validated list query, times already in UTC.</summary>
public sealed record InstanceFilter(string? Process, string? Status, string? Unit, DateTimeOffset? StartedFrom, DateTimeOffset? StartedBefore, int Page, int PageSize);
