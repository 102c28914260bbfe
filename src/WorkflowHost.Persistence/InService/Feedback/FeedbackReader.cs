using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.InService.Feedback;

public sealed record ReviewMember(string PersonId, string NameZh, string UnitId, string UnitNameZh, MemberYear Year, string? Rating, string? Comment, string? LetterNumber);

/// <summary>A year's review as the office works on it: who is covered, their figures, what is saved, and the open task.</summary>
public sealed record ReviewSheet(int Year, Guid InstanceId, DateTimeOffset OpenedAt, DateTimeOffset? LettersIssuedAt, string? OpenStep, IReadOnlyList<ReviewMember> Members);

public sealed record LetterSummary(string Number, int Year, string UnitId, string? UnitName, Guid InstanceId, DateTimeOffset IssuedAt, int Members);

public sealed record LetterMember(string PersonId, string? Name, decimal Hours, int Posts, int Wishes, int Activities, string Rating, string? Comment);

/// <summary>A feedback letter (反馈函) as issued: its content is the frozen document, not today's figures.</summary>
public sealed record FeedbackLetter(string Number, Guid InstanceId, DateTimeOffset IssuedAt, string IssuedOn, int Year, string UnitId, string? UnitName, IReadOnlyList<LetterMember> Members);

/// <summary>One year's feedback on a member: the evaluation, the comment and the letter that carried it to the unit.</summary>
public sealed record MemberFeedback(int Year, string Rating, string? Comment, string? LetterNumber, string UnitId);

/// <summary>What the review page, the letters and the member's page read of the annual feedback, always inside one community.</summary>
public sealed class FeedbackReader(IDbContextFactory<WorkflowDbContext> contexts)
{
    public async Task<IReadOnlyList<int>> ReviewYearsAsync(string communityId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<InServiceReview>().AsNoTracking().Where(r => r.CommunityId == communityId)
            .OrderByDescending(r => r.Year).Select(r => r.Year).ToListAsync(cancellationToken);
    }

    /// <summary>The review of <paramref name="year"/>, or the latest when none is named; null when there is none.</summary>
    public async Task<ReviewSheet?> ReviewAsync(string communityId, int? year, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var reviews = db.Set<InServiceReview>().AsNoTracking().Where(r => r.CommunityId == communityId);
        var review = await (year is { } y ? reviews.Where(r => r.Year == y) : reviews.OrderByDescending(r => r.Year)).FirstOrDefaultAsync(cancellationToken);
        if (review is null)
        {
            return null;
        }

        var openStep = await db.WorkItems.AsNoTracking()
            .Where(w => w.InstanceId == review.InstanceId && w.ActivityId == "office-review" && w.Status == WorkItemStatus.Open)
            .Select(w => w.BookmarkId).FirstOrDefaultAsync(cancellationToken);
        var registered = await FeedbackFigures.RegisteredAsync(db, communityId, review.Year, cancellationToken);
        var evaluations = await db.Set<InServiceEvaluation>().AsNoTracking().Where(e => e.CommunityId == communityId && e.Year == review.Year)
            .ToDictionaryAsync(e => e.PersonId, StringComparer.Ordinal, cancellationToken);

        // Once the letters are out, the review is what was evaluated; before, everyone registered for the year.
        var covered = review.LettersIssuedAt is null
            ? registered.Select(r => (r.PersonId, r.UnitId)).ToList()
            : evaluations.Values.Select(e => (e.PersonId, e.UnitId)).ToList();
        var people = covered.Select(c => c.PersonId).ToList();
        var names = await db.People.AsNoTracking().Where(p => people.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.NameZh, StringComparer.Ordinal, cancellationToken);
        var units = await db.Units.AsNoTracking().Where(u => u.CommunityId == communityId).ToDictionaryAsync(u => u.Id, u => u.NameZh, StringComparer.Ordinal, cancellationToken);
        var figures = await FeedbackFigures.ForAsync(db, communityId, review.Year, people, cancellationToken);
        var members = covered
            .Select(c => (c, e: evaluations.GetValueOrDefault(c.PersonId)))
            .Select(x => new ReviewMember(x.c.PersonId, names.GetValueOrDefault(x.c.PersonId) ?? x.c.PersonId, x.c.UnitId, units.GetValueOrDefault(x.c.UnitId) ?? x.c.UnitId,
                figures.GetValueOrDefault(x.c.PersonId) ?? MemberYear.None, x.e?.Rating, x.e?.Comment, x.e?.LetterNumber))
            .OrderBy(m => m.UnitNameZh, StringComparer.Ordinal).ThenBy(m => m.NameZh, StringComparer.Ordinal)
            .ToList();
        return new ReviewSheet(review.Year, review.InstanceId, review.OpenedAt, review.LettersIssuedAt, openStep, members);
    }

    /// <summary>The community's feedback letters, newest first; of one unit when <paramref name="unitId"/> is given.</summary>
    public async Task<IReadOnlyList<LetterSummary>> LettersAsync(string communityId, string? unitId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await Letters(db, communityId).OrderByDescending(d => d.IssuedAt).ThenBy(d => d.Number).ToListAsync(cancellationToken);
        return [.. rows.Select(Parse).Where(l => unitId is null || l.UnitId == unitId)
            .Select(l => new LetterSummary(l.Number, l.Year, l.UnitId, l.UnitName, l.InstanceId, l.IssuedAt, l.Members.Count))];
    }

    /// <summary>One letter by its number; null when there is none in the community, or it is another unit's than <paramref name="unitId"/>.</summary>
    public async Task<FeedbackLetter?> LetterAsync(string communityId, string number, string? unitId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await Letters(db, communityId).FirstOrDefaultAsync(d => d.Number == number, cancellationToken);
        return row is null ? null : Parse(row) is var letter && (unitId is null || letter.UnitId == unitId) ? letter : null;
    }

    /// <summary>The feedback a member has received, newest year first (only what a letter carried, not a draft).</summary>
    public async Task<IReadOnlyList<MemberFeedback>> OfMemberAsync(string communityId, string personId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await OfMemberAsync(db, communityId, personId, cancellationToken);
    }

    internal static async Task<IReadOnlyList<MemberFeedback>> OfMemberAsync(WorkflowDbContext db, string communityId, string personId, CancellationToken cancellationToken) =>
        await db.Set<InServiceEvaluation>().AsNoTracking()
            .Where(e => e.CommunityId == communityId && e.PersonId == personId && e.LetterNumber != null)
            .OrderByDescending(e => e.Year)
            .Select(e => new MemberFeedback(e.Year, e.Rating, e.Comment, e.LetterNumber, e.UnitId))
            .ToListAsync(cancellationToken);

    private static IQueryable<IssuedDocument> Letters(WorkflowDbContext db, string communityId) =>
        db.Set<IssuedDocument>().AsNoTracking().Where(d => d.CommunityId == communityId && d.DocumentType == LettersRegister.DocumentType);

    internal static FeedbackLetter Parse(IssuedDocument row)
    {
        var document = JsonNode.Parse(row.ContentJson)!;
        return FeedbackLetters.FromContent(row.Number, row.InstanceId, row.IssuedAt, document["issuedOn"]?.GetValue<string>() ?? "", document["content"]!.AsObject());
    }
}

/// <summary>How a feedback letter's frozen content reads back, wherever it is shown (its own page, the instance's documents).</summary>
public static class FeedbackLetters
{
    public const string Series = LettersRegister.Series;

    public static FeedbackLetter FromContent(string number, Guid instanceId, DateTimeOffset issuedAt, string issuedOn, JsonObject content)
    {
        var members = (content["members"] as JsonArray ?? []).OfType<JsonObject>().Select(m => new LetterMember(
            m["person"]!.GetValue<string>(), m["name"]?.GetValue<string>(), m["hours"]?.GetValue<decimal>() ?? 0, m["posts"]?.GetValue<int>() ?? 0,
            m["wishes"]?.GetValue<int>() ?? 0, m["activities"]?.GetValue<int>() ?? 0, m["rating"]!.GetValue<string>(), m["comment"]?.GetValue<string>())).ToList();
        return new FeedbackLetter(number, instanceId, issuedAt, issuedOn, content["year"]!.GetValue<int>(),
            content["unit"]!.GetValue<string>(), content["unitName"]?.GetValue<string>(), members);
    }
}
