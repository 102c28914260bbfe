using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.InService.Feedback;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.InService.Feedback;

/// <summary>
/// 年度反馈 on a real database: the seeded year run through the process, the year's review opened once per community even by
/// two hosts at the same moment, evaluations saved all or nothing, and one numbered letter per unit that the community record
/// of a later consultation shows.
/// </summary>
public abstract class AnnualFeedbackScenarios
{
    private const string Process = AnnualFeedbackOpener.Process;
    private const string Huang = "p-inservice-huang";       // Detai; a year of confirmed service in the seeds
    private const string Zhou = "p-inservice-zhou";         // the housing bureau: the demo consultation's nominee
    private const string HousingBureau = "unit-housing-bureau";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    /// <summary>Thursday 31 December 2026, the year's last working day, 10:00 in Shanghai.</summary>
    private static readonly DateTimeOffset YearsEnd = new DateTimeOffset(2026, 12, 31, 10, 0, 0, Shanghai).ToUniversalTime();

    private static readonly string[] Members2026 = ["p-inservice-fang", "p-inservice-guo", Huang, "p-inservice-xiao", "p-inservice-ye", Zhou];

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static AnnualFeedbackOpener Opener(WorkflowTestHost host) => host.Services.GetRequiredService<AnnualFeedbackOpener>();

    private static FeedbackReader Reader(WorkflowTestHost host) => host.Services.GetRequiredService<FeedbackReader>();

    private static JsonObject Evaluations(params (string Member, string? Rating, string? Comment)[] rows) => new()
    {
        ["evaluations"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject { ["member"] = r.Member, ["rating"] = r.Rating, ["comment"] = r.Comment })]),
    };

    [Fact]
    public async Task The_seeded_year_ran_through_the_process_and_the_consultation_shows_the_nominees_evaluation_and_letter()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        await using (var db = await host.OpenDbAsync())
        {
            var review = await db.Set<InServiceReview>().SingleAsync();
            Assert.Equal(2025, review.Year);
            Assert.NotNull(review.LettersIssuedAt);
            var instance = await db.Instances.SingleAsync(i => i.Id == review.InstanceId);
            Assert.Equal((Process, "issued"), (instance.DefinitionId, instance.Result));
            var evaluations = await db.Set<InServiceEvaluation>().ToListAsync();
            Assert.Equal(5, evaluations.Count); // everyone registered by the end of 2025; Xiao registered in 2026
            Assert.All(evaluations, e => Assert.StartsWith("FK-2026-", e.LetterNumber));
            Assert.Equal(5, evaluations.Select(e => e.LetterNumber).Distinct().Count()); // five members of five units: five letters
            Assert.False(await db.Notifications.AnyAsync(n => n.Template == FeedbackLetterNotices.Template)); // history, not news
        }

        Assert.Equal((2025, "competent"), (Assert.Single(await Reader(host).OfMemberAsync(ProcessDriver.Community, Zhou)).Year,
            (await Reader(host).OfMemberAsync(ProcessDriver.Community, Zhou))[0].Rating));

        var flow = new ProcessDriver(host);
        var consultation = await flow.StartAsync("promotion-consultation", Consultation.Liaison, Consultation.ValidInput());
        var record = await flow.RecordAsync(consultation, "community-record");
        var evaluation = Assert.Single(record["evaluations"]!.AsArray())!;
        var letter = (await Reader(host).LettersAsync(ProcessDriver.Community, HousingBureau)).Single();
        Assert.Equal((2025, "competent", letter.Number), (evaluation["year"]!.GetValue<int>(), evaluation["rating"]!.GetValue<string>(), evaluation["letterNumber"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_review_is_due_from_the_last_working_day_of_December_and_through_January_not_before()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var opener = Opener(host);
        Assert.Equal(new DateOnly(2026, 12, 31), opener.LastWorkingDay(2026));
        Assert.Null(opener.DueYear(new DateOnly(2026, 12, 30)));
        Assert.Equal(2026, opener.DueYear(new DateOnly(2026, 12, 31)));
        Assert.Equal(2026, opener.DueYear(new DateOnly(2027, 1, 20)));
        Assert.Null(opener.DueYear(new DateOnly(2027, 2, 1)));

        host.Time.SetUtcNow(new DateTimeOffset(2026, 12, 30, 23, 0, 0, Shanghai).ToUniversalTime());
        Assert.Empty(await opener.OpenDueAsync());
        host.Time.SetUtcNow(YearsEnd);
        var opened = Assert.Single(await opener.OpenDueAsync());
        Assert.Equal((ProcessDriver.Community, 2026, true), (opened.CommunityId, opened.Year, opened.Opened));
        Assert.Empty(await opener.OpenDueAsync()); // run again: the review is there, nothing more is started

        await using var db = await host.OpenDbAsync();
        Assert.Equal(2, await db.Instances.CountAsync(i => i.DefinitionId == Process)); // the seeded 2025 one and this
        Assert.Equal(ProcessDriver.Secretary, (await db.Instances.SingleAsync(i => i.Id == opened.InstanceId)).InitiatorId);
    }

    [Fact]
    public async Task Two_hosts_opening_the_same_year_at_the_same_moment_open_exactly_one_review_per_community()
    {
        await using var database = await CreateDatabaseAsync();
        await using var first = await WorkflowTestHost.StartAsync(database);
        await using var second = await WorkflowTestHost.StartAsync(database, first.Time);
        first.Time.SetUtcNow(YearsEnd);
        for (var year = 2026; year < 2032; year++)
        {
            var start = new TaskCompletionSource();
            var racing = new[] { first, second }
                .Select(host => Task.Run(async () => { await start.Task; return await Opener(host).OpenAsync(year); }))
                .ToArray();
            start.SetResult();
            var openings = (await Task.WhenAll(racing)).SelectMany(o => o).ToList();

            Assert.Single(openings, o => o.Opened);
            Assert.All(openings, o => Assert.Null(o.Refusal));
            await using var db = await first.OpenDbAsync();
            var review = await db.Set<InServiceReview>().SingleAsync(r => r.CommunityId == ProcessDriver.Community && r.Year == year);
            Assert.Equal(review.InstanceId, Assert.Single(openings, o => o.Opened).InstanceId);
            Assert.Equal(year - 2026 + 2, await db.Instances.CountAsync(i => i.DefinitionId == Process));
        }

        // Without the idempotency key, only the review's key stands between two starts: one is refused, next to the year.
        var bare = new[] { first, second }.Select(host => Task.Run(() => host.Commands.StartAsync(
            new StartCommand(Process, ProcessDriver.Community, ProcessDriver.Secretary, new JsonObject { ["year"] = 2040 })))).ToArray();
        var results = await Task.WhenAll(bare);
        Assert.Single(results, r => r.Succeeded);
        Assert.Contains("year", Assert.Single(results, r => !r.Succeeded).Errors!.Keys);
        await using var check = await first.OpenDbAsync();
        Assert.Equal(1, await check.Set<InServiceReview>().CountAsync(r => r.Year == 2040));
        Assert.Equal(1, await check.Instances.CountAsync(i => i.DefinitionId == Process && i.StateJson.Contains("2040")));
    }

    [Fact]
    public async Task The_office_saves_evaluations_all_or_nothing_then_issues_one_numbered_letter_per_unit()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        host.Time.SetUtcNow(YearsEnd);
        var flow = new ProcessDriver(host);
        var id = Assert.Single(await Opener(host).OpenDueAsync()).InstanceId;
        async Task<int> SavedAsync() { await using var db = await host.OpenDbAsync(); return await db.Set<InServiceEvaluation>().CountAsync(e => e.Year == 2026); }

        // The engine checks the form whole: a bad evaluation or a long comment refuses everything, keyed by the row.
        var bad = await flow.TrySendAsync(id, new CompleteTask(await flow.OpenAsync(id, "office-review"), ProcessDriver.OfficeXie, "save",
            Data: Evaluations((Huang, "excellent", null), (Zhou, "great", null))));
        Assert.Contains("evaluations[1].rating", bad.Errors!.Keys);
        var tooLong = await flow.TrySendAsync(id, new CompleteTask(await flow.OpenAsync(id, "office-review"), ProcessDriver.OfficeXie, "save",
            Data: Evaluations((Huang, "excellent", new string('好', 201)))));
        Assert.Contains("evaluations[0].comment", tooLong.Errors!.Keys);
        var notMember = await flow.TrySendAsync(id, new CompleteTask(await flow.OpenAsync(id, "office-review"), ProcessDriver.OfficeXie, "save",
            Data: Evaluations((Consultation.Liaison, "competent", null))));
        Assert.Contains("evaluations[0].member", notMember.Errors!.Keys);
        Assert.Equal(0, await SavedAsync());

        await flow.CompleteAsync(id, await flow.OpenAsync(id, "office-review"), ProcessDriver.OfficeXie, "save",
            Evaluations((Huang, "excellent", "全年坚持岗位服务"), ("p-inservice-ye", "competent", null)));
        Assert.Equal(2, await SavedAsync());
        Assert.Contains(JournalEventTypes.RecordsWritten, await flow.JournalTypesAsync(id));

        // Issuing before everyone is evaluated is refused whole: Zhou's evaluation, sent with it, is not kept either.
        var early = await flow.TrySendAsync(id, new CompleteTask(await flow.OpenAsync(id, "office-review"), ProcessDriver.OfficeXie, "issue",
            Data: Evaluations((Zhou, "competent", null))));
        Assert.False(early.Succeeded);
        Assert.Contains("evaluations", early.Errors!.Keys);
        Assert.Equal(2, await SavedAsync());

        await flow.CompleteAsync(id, await flow.OpenAsync(id, "office-review"), ProcessDriver.OfficeXie, "issue",
            Evaluations([.. Members2026.Select(m => (m, m == Huang ? "excellent" : m == "p-inservice-guo" ? "basically-competent" : "competent",
                m == Huang ? "全年坚持岗位服务，表现突出" : null))]));
        Assert.Equal((InstanceStatus.Completed, "issued"), ((await flow.SnapshotAsync(id)).State.Status, (await flow.SnapshotAsync(id)).State.Result));

        await using var db = await host.OpenDbAsync();
        var evaluations = await db.Set<InServiceEvaluation>().Where(e => e.Year == 2026).ToListAsync();
        Assert.Equal(Members2026, evaluations.Select(e => e.PersonId).Order(StringComparer.Ordinal));
        Assert.Equal(("excellent", "全年坚持岗位服务，表现突出"), (evaluations.Single(e => e.PersonId == Huang).Rating, evaluations.Single(e => e.PersonId == Huang).Comment));
        var documents = await db.Set<IssuedDocument>().Where(d => d.InstanceId == id).ToListAsync();
        Assert.Equal(6, documents.Count); // six members, each of another unit
        Assert.Equal(documents.Count, documents.Select(d => d.Number).Distinct().Count());
        var allNumbers = await db.Set<IssuedDocument>().Where(d => d.Series == FeedbackLetters.Series).Select(d => d.Number).ToListAsync();
        Assert.Equal(allNumbers.Count, allNumbers.Distinct().Count()); // the seeded year's letters and these share one counter
        Assert.All(evaluations, e => Assert.Contains(e.LetterNumber, documents.Select(d => d.Number)));
        Assert.NotNull((await db.Set<InServiceReview>().SingleAsync(r => r.Year == 2026)).LettersIssuedAt);

        // Huang's letter freezes his year: 10.5 confirmed hours, three posts and a wish, three community activities in 2026.
        var huangs = await Reader(host).LetterAsync(ProcessDriver.Community, evaluations.Single(e => e.PersonId == Huang).LetterNumber!);
        var line = Assert.Single(huangs!.Members);
        Assert.Equal((10.5m, 3, 1, 3, "excellent"), (line.Hours, line.Posts, line.Wishes, line.Activities, line.Rating));
        Assert.Null(await Reader(host).LetterAsync(ProcessDriver.Community, huangs.Number, HousingBureau)); // another unit's letter
        Assert.Null(await Reader(host).LetterAsync("riverside", huangs.Number));                            // another community's
        Assert.Equal(2, (await Reader(host).LettersAsync(ProcessDriver.Community, HousingBureau)).Count);   // 2025's and 2026's
    }

    [Fact]
    public async Task Each_units_liaisons_are_told_once_that_its_letter_is_out_even_when_the_issue_is_sent_twice_by_two_hosts()
    {
        await using var database = await CreateDatabaseAsync();
        await using var first = await WorkflowTestHost.StartAsync(database);
        await using var second = await WorkflowTestHost.StartAsync(database, first.Time);
        first.Time.SetUtcNow(YearsEnd);
        var id = Assert.Single(await Opener(first).OpenDueAsync()).InstanceId;
        var review = await new ProcessDriver(first).OpenAsync(id, "office-review");
        var issue = new CompleteTask(review, ProcessDriver.OfficeXie, "issue", Data: Evaluations([.. Members2026.Select(m => (m, (string?)"competent", (string?)null))]));

        // The office's browser sends the issue twice (a retry with the same key), each copy reaching another host.
        var start = new TaskCompletionSource();
        var racing = new[] { first, second }.Select(host => Task.Run(async () =>
        {
            await start.Task;
            return await new ProcessDriver(host).TrySendAsync(id, issue, "issue-letters-1");
        })).ToArray();
        start.SetResult();
        Assert.All(await Task.WhenAll(racing), r => Assert.True(r.Succeeded, $"{r.Refusal}: {r.Message}"));
        Assert.True((await new ProcessDriver(first).TrySendAsync(id, issue, "issue-letters-1")).Succeeded); // replayed, not run again
        Assert.False((await new ProcessDriver(second).TrySendAsync(id, issue)).Succeeded);                   // a new issue: the step is closed

        await using var db = await first.OpenDbAsync();
        var letters = await db.Set<IssuedDocument>().Where(d => d.InstanceId == id).ToListAsync();
        Assert.Equal(6, letters.Count);
        var notices = await db.Notifications.Where(n => n.Template == FeedbackLetterNotices.Template).ToListAsync();
        var total = 0;
        foreach (var letter in letters)
        {
            var unit = JsonNode.Parse(letter.ContentJson)!["content"]!["unit"]!.GetValue<string>();
            var liaisons = await db.PersonRoles.Where(r => r.Role == RoleNames.UnitLiaison)
                .Join(db.People.Where(p => p.UnitId == unit && p.DeactivatedAt == null), r => r.PersonId, p => p.Id, (r, p) => p.Id).Distinct().ToListAsync();
            var told = notices.Where(n => JsonNode.Parse(n.DataJson)!["number"]!.GetValue<string>() == letter.Number).ToList();
            Assert.Equal(liaisons.Order(StringComparer.Ordinal), told.Select(n => n.RecipientId).Order(StringComparer.Ordinal)); // one each, none twice
            Assert.All(told, n => Assert.Equal($"/in-service/letters/{letter.Number}", JsonNode.Parse(n.DataJson)!["link"]!.GetValue<string>()));
            Assert.All(told, n => Assert.Contains(letter.Number, JsonNode.Parse(n.DataJson)!["message.zh-CN"]!.GetValue<string>(), StringComparison.Ordinal));
            total += told.Count;
        }

        Assert.True(total > 0, "no unit of the letters has a liaison: the test would prove nothing");
        var ids = notices.Where(n => letters.Any(l => n.UniqueKey.Contains(l.Number, StringComparison.Ordinal))).Select(n => n.Id).ToList();
        Assert.Equal(total, ids.Count);
        // Each notice also goes out on the liaison's own channels (e-mail when they never chose): one delivery per channel.
        var deliveries = await db.NotificationDeliveries.Where(d => ids.Contains(d.NotificationId)).ToListAsync();
        Assert.Equal(ids.Order(), deliveries.Select(d => d.NotificationId).Distinct().Order());
        Assert.Equal(deliveries.Count, deliveries.Select(d => (d.NotificationId, d.Channel)).Distinct().Count());
    }
}

public sealed class SqliteAnnualFeedbackTests : AnnualFeedbackScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlAnnualFeedbackTests : AnnualFeedbackScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
