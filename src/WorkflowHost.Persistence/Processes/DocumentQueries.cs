using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Processes;

/// <summary>A document as issued, with its verification code (null when no key is configured).</summary>
public sealed record IssuedDocumentView(
    string DocumentType, string Number, string CommunityId, DateOnly IssuedOn, JsonObject Content, string? Code, Guid InstanceId, string ActivityId);

/// <summary>The answer to a verification: a valid number and code give the document (which the holder already has), anything else nothing.</summary>
public sealed record DocumentVerification(bool Valid, IssuedDocumentView? Document)
{
    public static readonly DocumentVerification Invalid = new(false, null);
}

/// <summary>
/// Read side of numbered documents: the reply (意见回执) and the minutes (会议纪要) as issued, and verification by number and
/// code. An unknown number and a wrong code give the same answer, so verification reveals nothing about which numbers exist.
/// </summary>
public sealed class DocumentQueries(IDbContextFactory<WorkflowDbContext> contextFactory, DocumentCodes? codes = null)
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

    /// <summary>
    /// Checks a number and code, optionally of one document type. The stored content is hashed again, so a document edited in
    /// the database no longer verifies either.
    /// </summary>
    public async Task<DocumentVerification> VerifyAsync(string? number, string? code, string? documentType = null, CancellationToken cancellationToken = default)
    {
        var keys = codes ?? throw new InvalidOperationException("No document verification key is configured (AddDocumentCodes).");
        if (string.IsNullOrWhiteSpace(number) || string.IsNullOrWhiteSpace(code) || number.Length > 64 || code.Length > 64)
        {
            return DocumentVerification.Invalid;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var trimmed = number.Trim();
        var candidates = await db.Set<IssuedDocument>().AsNoTracking()
            .Where(d => d.Number == trimmed && (documentType == null || d.DocumentType == documentType))
            .ToListAsync(cancellationToken);

        // Every candidate is checked, whatever matches first: the time taken says nothing about which one did.
        IssuedDocument? match = null;
        foreach (var candidate in candidates)
        {
            if (keys.Matches(candidate.ContentJson, code) && match is null)
            {
                match = candidate;
            }
        }

        return match is null ? DocumentVerification.Invalid : new DocumentVerification(true, View(match));
    }

    /// <summary>Verification of a reply (意见回执) for a unit's HR: the reply itself when number and code match, otherwise nothing.</summary>
    public async Task<ReplyDocument?> VerifyReplyAsync(string? number, string? code, CancellationToken cancellationToken = default) =>
        await VerifyAsync(number, code, ReplyType, cancellationToken) is { Valid: true, Document: { } document }
            ? await ReplyDocument.BuildAsync(contextFactory, document, cancellationToken)
            : null;

    private IssuedDocumentView View(IssuedDocument row)
    {
        var document = JsonNode.Parse(row.ContentJson)!.AsObject();
        return new IssuedDocumentView(
            row.DocumentType,
            row.Number,
            row.CommunityId,
            DateOnly.ParseExact(document["issuedOn"]!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            document["content"]?.AsObject() ?? [],
            codes?.CodeFor(row.ContentJson),
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
