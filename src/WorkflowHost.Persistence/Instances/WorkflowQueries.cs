using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Journal;

namespace WorkflowHost.Persistence.Instances;

/// <summary>Read-side questions about instances. Nothing here writes.</summary>
public sealed class WorkflowQueries(IDbContextFactory<WorkflowDbContext> contextFactory, Sealing.StoreKeys keys)
{
    public async Task<InstanceSnapshot?> GetAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var items = await db.WorkItems.AsNoTracking().Where(w => w.InstanceId == instanceId).OrderBy(w => w.OpenedAt).ThenBy(w => w.BookmarkId).ToListAsync(cancellationToken);
        var state = JsonSerializer.Deserialize<InstanceState>(row.StateJson, EngineJson.Options)!;
        return new InstanceSnapshot(row, state, items);
    }

    /// <summary>The open tasks and ballots a person can act on now.</summary>
    public async Task<IReadOnlyList<WorkItem>> OpenWorkForAsync(string personId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var person = await db.People.AsNoTracking().Include(p => p.Roles).FirstOrDefaultAsync(p => p.Id == personId, cancellationToken);
        return person is null
            ? []
            : await OpenWorkForAsync(db, new WorkHolder(person.Id, person.CommunityId, person.UnitId, [.. person.Roles.Select(r => r.Role)]), cancellationToken);
    }

    /// <summary>
    /// The same, for a person the caller has already read in this request (the host's signed-in caller): one read of who
    /// they are per request is enough (issue 18).
    /// </summary>
    public async Task<IReadOnlyList<WorkItem>> OpenWorkForAsync(WorkHolder holder, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await OpenWorkForAsync(db, holder, cancellationToken);
    }

    /// <summary>
    /// How many open tasks and ballots <see cref="OpenWorkForAsync(WorkHolder, CancellationToken)"/> would list, counted by
    /// the database in one command: the page header shows the number on every signed-in page and needs no row of it.
    /// </summary>
    public async Task<int> OpenWorkCountAsync(WorkHolder holder, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await OpenTasksOf(db, holder).Select(w => w.BookmarkId)
            .Concat(OpenBallotsOf(db, holder.PersonId).Select(w => w.BookmarkId))
            .CountAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<WorkItem>> OpenWorkForAsync(WorkflowDbContext db, WorkHolder holder, CancellationToken cancellationToken)
    {
        var tasks = await OpenTasksOf(db, holder).ToListAsync(cancellationToken);
        var ballots = await OpenBallotsOf(db, holder.PersonId).ToListAsync(cancellationToken);
        return [.. tasks.Concat(ballots).OrderBy(w => w.DueAt ?? DateTimeOffset.MaxValue).ThenBy(w => w.OpenedAt)];
    }

    /// <summary>
    /// The open tasks the holder may act on: theirs by name, delegated to them, their roles', their unit's when they are its
    /// liaison. The list and the count both ask this, so the header's number is always the inbox's length.
    /// </summary>
    private static IQueryable<WorkItem> OpenTasksOf(WorkflowDbContext db, WorkHolder holder)
    {
        var (personId, communityId, unitId, roles) = holder;
        var isLiaison = roles.Contains(RoleNames.UnitLiaison);
        return db.WorkItems.AsNoTracking()
            .Where(w => w.CommunityId == communityId && w.Status == WorkItemStatus.Open && w.Kind == WorkItemKind.Task)
            .Where(w => (w.AssigneeKind == AssigneeKind.Person && w.AssigneeValue == personId)
                || w.DelegateId == personId
                || (w.AssigneeKind == AssigneeKind.Role && roles.Contains(w.AssigneeValue!))
                || (isLiaison && w.AssigneeKind == AssigneeKind.Unit && w.AssigneeValue == unitId));
    }

    /// <summary>
    /// The open ballots the person has yet to answer. Start from the person's pending voter rows (the partial index of
    /// pending voters, decision 155) and look each ballot up by its key: asked the other way round ("open ballots where
    /// this person is a voter") SQLite scans every work item. A voter row's key includes the ballot's, so each ballot
    /// comes back at most once.
    /// </summary>
    private static IQueryable<WorkItem> OpenBallotsOf(WorkflowDbContext db, string personId) =>
        db.BallotVoters.AsNoTracking()
            .Where(v => v.PersonId == personId && v.Status == VoterStatus.Pending)
            .Join(db.WorkItems.Where(w => w.Status == WorkItemStatus.Open && w.Kind == WorkItemKind.Ballot),
                v => new { v.InstanceId, v.BookmarkId }, w => new { w.InstanceId, w.BookmarkId }, (_, w) => w)
            .AsNoTracking();

    public async Task<IReadOnlyList<BallotVoter>> VotersAsync(Guid instanceId, string bookmarkId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.BallotVoters.AsNoTracking()
            .Where(v => v.InstanceId == instanceId && v.BookmarkId == bookmarkId)
            .OrderBy(v => v.PersonId)
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<JournalEvent>> JournalAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.JournalEvents.AsNoTracking().Where(e => e.InstanceId == instanceId).OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
    }

    public async Task<JournalVerification> VerifyJournalAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var head = await db.Instances.AsNoTracking().Where(i => i.Id == instanceId)
            .Select(i => new { i.JournalSequence, i.JournalHead }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new KeyNotFoundException($"There is no instance {instanceId}.");
        var events = await db.JournalEvents.AsNoTracking().Where(e => e.InstanceId == instanceId).OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
        return JournalChain.Verify(keys, events, head.JournalSequence, head.JournalHead);
    }

    /// <summary>Pending timers due at or before <paramref name="now"/>, oldest first; the index on (Status, DueAt) keeps this cheap.</summary>
    public async Task<IReadOnlyList<WorkflowTimer>> DueTimersAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Timers.AsNoTracking()
            .Where(t => t.Status == TimerStatus.Pending && t.DueAt <= now)
            .OrderBy(t => t.DueAt)
            .Take(limit)
            .ToListAsync(cancellationToken);
    }
}

public sealed record InstanceSnapshot(WorkflowInstance Row, InstanceState State, IReadOnlyList<WorkItem> WorkItems);

/// <summary>Whose work to find: the person, their community and unit, and their roles (tasks go to roles too).</summary>
public sealed record WorkHolder(string PersonId, string CommunityId, string? UnitId, string[] Roles);
