using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Features.Instances;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Features.Inbox;

/// <summary>A task or ballot waiting for the caller (or done by them), with what it is about and how to act on it.</summary>
public sealed record InboxItem(
    Guid InstanceId,
    string StepId,
    string Kind,
    string Activity,
    LocalizedText? Name,
    string Process,
    LocalizedText? ProcessName,
    UnitRef? Unit,
    DateTimeOffset OpenedAt,
    DateTimeOffset? DueAt,
    bool Overdue,
    IReadOnlyList<OutcomeView> Choices,
    string? Status,
    DateTimeOffset? DoneAt,
    string Instance,
    string? Act,
    PersonRef? Holder = null,
    PersonRef? Delegate = null);

public sealed record InboxPage(IReadOnlyList<InboxItem> Items, int Page, int PageSize, int Total);

/// <summary>The caller's open tasks and ballots, most urgent first; and the ones they have done.</summary>
internal static class InboxEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var inbox = api.MapGroup("/inbox").WithTags("Inbox");

        inbox.MapGet("", async (Caller caller, WorkflowQueries queries, InboxBuilder builder, CancellationToken cancellationToken) =>
            {
                var items = await queries.OpenWorkForAsync(caller.AsWorkHolder(), cancellationToken);
                return Results.Ok(await builder.BuildAsync(caller, [.. items.Select(i => (i, (string?)null, (DateTimeOffset?)null))], cancellationToken));
            })
            .WithName("GetInbox")
            .WithSummary("My open tasks and ballots, most urgent first (overdue, then by deadline)")
            .Produces<IReadOnlyList<InboxItem>>();

        inbox.MapGet("/done", async (string? page, string? pageSize, Caller caller, InboxBuilder builder, CancellationToken cancellationToken) =>
            {
                var errors = new Dictionary<string, string[]>();
                var pageNumber = Parse(page, 1, 100_000, "page", errors) ?? 1;
                var size = Parse(pageSize, 1, ListInstancesQuery.MaxPageSize, "pageSize", errors) ?? ListInstancesQuery.DefaultPageSize;
                if (errors.Count > 0)
                {
                    return Problems.Validation(errors);
                }

                var done = await builder.DoneAsync(caller, cancellationToken);
                var slice = done.Skip((pageNumber - 1) * size).Take(size).ToList();
                var items = await builder.BuildAsync(caller, slice, cancellationToken);
                return Results.Ok(new InboxPage(items, pageNumber, size, done.Count));
            })
            .WithName("GetDoneWork")
            .WithSummary("Tasks I completed and ballots I voted on or recused from, newest first")
            .Produces<InboxPage>()
            .ProducesValidationProblem();
    }

    /// <summary>A paging parameter, checked; shared with the other inbox lists (Copies/CopiesEndpoints.cs).</summary>
    internal static int? Parse(string? text, int min, int max, string name, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [$"'{name}' must be a whole number from {min} to {max}."];
        return null;
    }
}

/// <summary>Adds what an inbox line needs to the work items: process and step names, the unit, the choices, the link to act.</summary>
public sealed class InboxBuilder(IDbContextFactory<WorkflowDbContext> contexts, DefinitionCatalog catalog, TimeProvider time)
{
    /// <summary>Tasks the caller completed and ballots they voted on or recused from themselves, newest first.</summary>
    public async Task<IReadOnlyList<(WorkItem Item, string? Status, DateTimeOffset? DoneAt)>> DoneAsync(Caller caller, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var me = caller.PersonId;
        var tasks = await db.WorkItems.AsNoTracking().Where(w => w.Kind == WorkItemKind.Task && w.ClosedBy == me).ToListAsync(cancellationToken);
        var ballots = await db.BallotVoters.AsNoTracking()
            .Where(v => v.PersonId == me && (v.Status == VoterStatus.Voted || (v.Status == VoterStatus.Recused && !v.AutomaticRecusal)))
            .Join(db.WorkItems, v => new { v.InstanceId, v.BookmarkId }, w => new { w.InstanceId, w.BookmarkId }, (v, w) => new { Item = w, v.Status, v.RespondedAt })
            .ToListAsync(cancellationToken);
        return [.. tasks.Select(t => (Item: t, Status: (string?)"completed", DoneAt: t.ClosedAt))
            .Concat(ballots.Select(b => (b.Item, (string?)b.Status, b.RespondedAt)))
            .OrderByDescending(d => d.Item3)];
    }

    public async Task<IReadOnlyList<InboxItem>> BuildAsync(Caller caller, IReadOnlyList<(WorkItem Item, string? Status, DateTimeOffset? DoneAt)> work, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = work.Select(w => w.Item.InstanceId).Distinct().ToList();
        // The unit's name rides on the instance's read: an inbox line names no one else (issue 18, one query fewer than
        // loading the community's names).
        var english = LocalizedText.IsEnglish(caller.Language);
        var instances = await db.Instances.AsNoTracking().Where(i => ids.Contains(i.Id))
            .Select(i => new
            {
                i.Id, i.DefinitionId, i.DefinitionHash, i.UnitId,
                UnitName = db.Units.Where(u => u.Id == i.UnitId).Select(u => english ? u.NameEn : u.NameZh).FirstOrDefault(),
            })
            .ToDictionaryAsync(i => i.Id, cancellationToken);

        // Names only of the people holding or preparing a task (claimed, delegated): none at all for most inboxes.
        var named = work.SelectMany(w => new[] { w.Item.HolderId, w.Item.DelegateId }).OfType<string>().Distinct().ToList();
        var people = named.Count == 0
            ? new Dictionary<string, string>()
            : await db.People.AsNoTracking().Where(p => named.Contains(p.Id))
                .Select(p => new { p.Id, Name = english ? p.NameEn : p.NameZh }).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var now = time.GetUtcNow();
        var items = new List<InboxItem>();
        foreach (var (item, status, doneAt) in work)
        {
            var instance = instances[item.InstanceId];
            var definition = await catalog.GetRevisionAsync(db, instance.DefinitionHash, cancellationToken);
            var activity = definition.FindActivity(item.ActivityId);
            IReadOnlyList<OutcomeView> choices = activity switch
            {
                HumanTaskActivity task => [.. task.Outcomes.Select(o => new OutcomeView(o.Name, o.Label))],
                BallotActivity ballot => [.. ballot.Options.Select(o => new OutcomeView(o.Value, o.Label))],
                _ => [],
            };
            var open = item.Status == WorkItemStatus.Open;
            var path = $"/api/instances/{item.InstanceId}/steps/{Uri.EscapeDataString(item.BookmarkId)}";
            items.Add(new InboxItem(
                item.InstanceId, item.BookmarkId, item.Kind, item.ActivityId, activity?.Name, instance.DefinitionId, definition.Name,
                instance.UnitId is null ? null : new UnitRef(instance.UnitId, instance.UnitName),
                item.OpenedAt, item.DueAt, open && item.DueAt < now, choices, status ?? item.Status, doneAt,
                $"/api/instances/{item.InstanceId}", open && status is null ? (item.Kind == WorkItemKind.Ballot ? $"{path}/vote" : $"{path}/complete") : null,
                item.HolderId is null ? null : new PersonRef(item.HolderId, people.GetValueOrDefault(item.HolderId)),
                item.DelegateId is null ? null : new PersonRef(item.DelegateId, people.GetValueOrDefault(item.DelegateId))));
        }

        return items;
    }
}
