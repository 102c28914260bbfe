using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;

using WorkflowHost.Persistence.Records;

namespace WorkflowHost.Persistence.Tests.Support;

/// <summary>A document as issued.</summary>
public sealed record IssuedDocumentView(
    string DocumentType, string Number, string CommunityId, DateOnly IssuedOn, JsonObject Content, Guid InstanceId, string ActivityId);

/// <summary>
/// What the scenarios read back of numbered documents: the reply (意见回执) and the minutes (会议纪要) as issued. Test support
/// only; replies are verified by the host's number codes (decision 60), not from here.
/// </summary>
public sealed class DocumentQueries(IDbContextFactory<WorkflowDbContext> contextFactory)
{
    public const string ReplyType = "consultation-reply";
    public const string MinutesType = "minutes";

    /// <summary>The latest document of <paramref name="documentType"/> an instance issued.</summary>
    public async Task<IssuedDocumentView?> LatestAsync(Guid instanceId, string documentType, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<IssuedDocument>().AsNoTracking()
            .Where(d => d.InstanceId == instanceId && d.DocumentType == documentType)
            .OrderByDescending(d => d.IssuedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : View(row);
    }

    public async Task<ReplyDocument?> ReplyAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        await LatestAsync(instanceId, ReplyType, cancellationToken) is { } view ? await ReplyDocument.BuildAsync(contextFactory, view, cancellationToken) : null;

    public async Task<MinutesDocument?> MinutesAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        await LatestAsync(instanceId, MinutesType, cancellationToken) is { } view ? await MinutesDocument.BuildAsync(contextFactory, view, cancellationToken) : null;

    private static IssuedDocumentView View(IssuedDocument row)
    {
        var document = JsonNode.Parse(row.ContentJson)!.AsObject();
        return new IssuedDocumentView(
            row.DocumentType,
            row.Number,
            row.CommunityId,
            DateOnly.ParseExact(document["issuedOn"]!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            document["content"]?.AsObject() ?? [],
            row.InstanceId,
            row.ActivityId);
    }
}

/// <summary>A name in both languages, for ids found in documents.</summary>
public sealed record Names(string Id, string ZhCn, string En)
{
    internal static async Task<Dictionary<string, Names>> LoadAsync(WorkflowDbContext db, IEnumerable<string?> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var people = await db.People.AsNoTracking().Where(p => wanted.Contains(p.Id)).Select(p => new Names(p.Id, p.NameZh, p.NameEn)).ToListAsync(cancellationToken);
        var units = await db.Units.AsNoTracking().Where(u => wanted.Contains(u.Id)).Select(u => new Names(u.Id, u.NameZh, u.NameEn)).ToListAsync(cancellationToken);
        var communities = await db.Communities.AsNoTracking().Where(c => wanted.Contains(c.Id)).Select(c => new Names(c.Id, c.NameZh, c.NameEn)).ToListAsync(cancellationToken);
        return people.Concat(units).Concat(communities).ToDictionary(n => n.Id, StringComparer.Ordinal);
    }

    internal static Names Of(Dictionary<string, Names> names, string? id) =>
        id is null ? new Names("", "", "") : names.GetValueOrDefault(id) ?? new Names(id, id, id);
}

internal static class DocumentContent
{
    public static string? Text(JsonObject content, string name) => CommunityRecordProvider.Text(content[name]);

    public static int Int(JsonObject content, string name) =>
        content[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? (int)decimal.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : 0;

    public static bool Bool(JsonObject content, string name) => content[name] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    public static IReadOnlyDictionary<string, int> Totals(JsonNode? totals) =>
        totals is JsonObject obj ? obj.ToDictionary(p => p.Key, p => (int)decimal.Parse(p.Value!.ToJsonString(), CultureInfo.InvariantCulture)) : [];

    public static IReadOnlyList<string> Ids(JsonNode? list) =>
        list is JsonArray array ? [.. array.Select(i => CommunityRecordProvider.Text(i)).OfType<string>()] : [];
}
