using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Features.Instances;

/// <summary>One item task (督办 action, pledge delivery): what, whose, by when, and what was reported.</summary>
public sealed record ItemTaskView(
    string Activity, int Index, string StepId, string? Title, UnitRef? Unit, DateTimeOffset? DueAt, string Status, bool Overdue,
    string? Outcome, PersonRef? CompletedBy, DateTimeOffset? CompletedAt, string? Report, JsonObject? Source);

/// <summary>One pledge or sign-up in a collection window, with the facility hours it holds.</summary>
public sealed record PledgeView(
    string Activity, int Index, PersonRef By, UnitRef? Unit, DateTimeOffset At, JsonObject Item, FacilityHoursView? Facility);

public sealed record FacilityHoursView(string Id, string? Name, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>A numbered document's frozen content (minutes, a reply), as it was issued.</summary>
/// <param name="Attachments">The files the case was decided on, as frozen in the document: <c>{ name, sha256 }</c>.</param>
public sealed record IssuedDocumentView(string Kind, string Series, string Number, DateTimeOffset IssuedAt, JsonObject Content, JsonArray? Attachments = null);

/// <summary>What the per-item and collection activities of one instance recorded.</summary>
public sealed record ActivityRecordsView(IReadOnlyList<ItemTaskView> ItemTasks, IReadOnlyList<PledgeView> Pledges);

/// <summary>
/// Reads the lists the engine keeps in an instance's variables (item tasks, pledges) and its frozen documents, with names
/// for people, units and facilities. It takes an <see cref="InstanceView"/>: the caller's right to see the instance has
/// already been decided by <see cref="InstanceReader"/>, so nothing here can show an instance that would answer 404.
/// </summary>
public sealed class ActivityRecords(IDbContextFactory<WorkflowDbContext> contexts, WorkflowQueries queries, DefinitionCatalog catalog)
{
    public async Task<ActivityRecordsView> ReadAsync(Caller caller, InstanceView visible, CancellationToken cancellationToken)
    {
        if (await queries.GetAsync(visible.Id, cancellationToken) is not { } snapshot)
        {
            return new ActivityRecordsView([], []);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var definition = await catalog.GetRevisionAsync(db, snapshot.Row.DefinitionHash, cancellationToken);
        var names = await InstanceReader.NamesAsync(db, visible.CommunityId, caller, cancellationToken);
        var english = LocalizedText.IsEnglish(caller.Language);
        var facilities = await db.Set<Facility>().AsNoTracking().Where(f => f.CommunityId == visible.CommunityId)
            .ToDictionaryAsync(f => f.Id, f => english ? f.NameEn : f.NameZh, cancellationToken);
        var variables = snapshot.State.Variables;

        var itemTasks = new List<ItemTaskView>();
        var pledges = new List<PledgeView>();
        foreach (var activity in definition.Activities)
        {
            if (variables[activity.Id]?["items"] is not JsonArray items)
            {
                continue;
            }

            foreach (var item in items.OfType<JsonObject>())
            {
                if (activity is TaskPerItemActivity)
                {
                    itemTasks.Add(ItemTask(activity.Id, item, names));
                }
                else if (activity is CollectActivity)
                {
                    pledges.Add(Pledge(activity.Id, item, names, facilities));
                }
            }
        }

        return new ActivityRecordsView(itemTasks, pledges);
    }

    public async Task<IssuedDocumentView?> DocumentAsync(InstanceView visible, string number, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<IssuedDocument>().AsNoTracking()
            .FirstOrDefaultAsync(d => d.InstanceId == visible.Id && d.Number == number, cancellationToken);
        return row is null ? null
            : new IssuedDocumentView(row.DocumentType, row.Series, row.Number, row.IssuedAt,
                // The frozen text wraps the content with the number, community and date it was issued under.
                JsonNode.Parse(row.ContentJson)!["content"] as JsonObject ?? [], JsonNode.Parse(row.ContentJson)!["attachments"] as JsonArray);
    }

    /// <summary>The names of the people and units of the instance's community, in the caller's language, to print ids as names.</summary>
    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(Caller caller, InstanceView visible, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var names = await InstanceReader.NamesAsync(db, visible.CommunityId, caller, cancellationToken);
        return names.People.Concat(names.Units).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    private static ItemTaskView ItemTask(string activity, JsonObject item, InstanceReader.Names names)
    {
        var unit = Text(item["unit"]);
        var completedBy = Text(item["completedBy"]);
        return new ItemTaskView(
            activity, item["index"]?.GetValue<int>() ?? 0, Text(item["bookmark"]) ?? "", Text(item["title"]),
            unit is null ? null : new UnitRef(unit, names.Units.GetValueOrDefault(unit)),
            item["dueAt"]?.GetValue<DateTimeOffset>(), Text(item["status"]) ?? "open", item["overdue"]?.GetValue<bool>() == true,
            Text(item["outcome"]), completedBy is null ? null : new PersonRef(completedBy, names.People.GetValueOrDefault(completedBy)),
            item["completedAt"]?.GetValue<DateTimeOffset>(), Text(item["data"]?["report"]), item["source"] as JsonObject);
    }

    private static PledgeView Pledge(string activity, JsonObject entry, InstanceReader.Names names, IReadOnlyDictionary<string, string> facilities)
    {
        var by = Text(entry["by"]) ?? "";
        var unit = Text(entry["unit"]);
        var reservation = entry["reservation"] as JsonObject;
        var facility = reservation is null ? null : Text(reservation["resource"]) ?? "";
        return new PledgeView(
            activity, entry["index"]?.GetValue<int>() ?? 0, new PersonRef(by, names.People.GetValueOrDefault(by)),
            unit is null ? null : new UnitRef(unit, names.Units.GetValueOrDefault(unit)),
            entry["at"]?.GetValue<DateTimeOffset>() ?? default, entry["item"] as JsonObject ?? [],
            facility is null ? null : new FacilityHoursView(facility, facilities.GetValueOrDefault(facility),
                reservation!["startsAt"]!.GetValue<DateTimeOffset>(), reservation["endsAt"]!.GetValue<DateTimeOffset>()));
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
