using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.InService.Feedback;
using WorkflowHost.Persistence.Participants;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.InService.Feedback;

/// <summary>
/// A unit's liaisons change after its feedback letter went out (decision 152), on a real database: a person made liaison is
/// told of the unit's current letter in the directory change's own transaction (a refused or previewed change tells nobody);
/// a liaison moved to another unit or whose role ends has the waiting deliveries of the old unit's letter suppressed; a
/// deactivated liaison does not get the issue's own notice. The seeded 2025 letters are the current ones.
/// </summary>
public abstract class LiaisonLetterNoticeScenarios
{
    private const string Admin = "p-admin-shen";
    private const string Community = ProcessDriver.Community;
    private const string HousingBureau = "unit-housing-bureau";   // has a 2025 letter (Zhou)
    private const string Detai = "unit-detai-precision";          // has a 2025 letter (Huang)
    private const string PoliceStation = "unit-xinhua-police-station"; // no registered member: no letter
    private const string Newcomer = "p-liaison-new";

    /// <summary>Thursday 31 December 2026, the year's last working day, 10:00 in Shanghai: the 2026 review is due.</summary>
    private static readonly DateTimeOffset YearsEnd = new DateTimeOffset(2026, 12, 31, 10, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    private static readonly string[] Members2026 = ["p-inservice-fang", "p-inservice-guo", "p-inservice-huang", "p-inservice-xiao", "p-inservice-ye", "p-inservice-zhou"];

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static DirectoryAdministration DirectoryOf(WorkflowTestHost host) => host.Services.GetRequiredService<DirectoryAdministration>();

    private static PersonInput Person(string? unit) => new("新联络员", "New Liaison", unit, null, null, "new.liaison@example.org", null, "zh-CN");

    private static async Task<string> LetterOfAsync(WorkflowTestHost host, string unit) =>
        Assert.Single(await host.Services.GetRequiredService<FeedbackReader>().LettersAsync(Community, unit)).Number;

    private static async Task<List<(Notification Notice, List<NotificationDelivery> Deliveries)>> NoticesToAsync(WorkflowTestHost host, string person)
    {
        await using var db = await host.OpenDbAsync();
        var notices = await db.Notifications.AsNoTracking().Where(n => n.RecipientId == person && n.Template == LiaisonLetterNotices.Template)
            .OrderBy(n => n.CreatedAt).ThenBy(n => n.UniqueKey).ToListAsync();
        var ids = notices.Select(n => n.Id).ToList();
        var deliveries = await db.NotificationDeliveries.AsNoTracking().Where(d => ids.Contains(d.NotificationId)).ToListAsync();
        return [.. notices.Select(n => (n, deliveries.Where(d => d.NotificationId == n.Id).ToList()))];
    }

    private static string NumberOf(Notification notice) => JsonNode.Parse(notice.DataJson)!["number"]!.GetValue<string>();

    /// <summary>The office reviews 2026 on its last working day and issues the letters; returns the housing bureau's.</summary>
    private static async Task<string> IssueTheLettersOf2026Async(WorkflowTestHost host)
    {
        host.Time.SetUtcNow(YearsEnd);
        var id = Assert.Single(await host.Services.GetRequiredService<AnnualFeedbackOpener>().OpenDueAsync()).InstanceId;
        var flow = new ProcessDriver(host);
        var review = await flow.OpenAsync(id, "office-review");
        var evaluations = new JsonArray([.. Members2026.Select(m => (JsonNode)new JsonObject { ["member"] = m, ["rating"] = "competent" })]);
        await flow.SendAsync(id, new CompleteTask(review, ProcessDriver.OfficeXie, "issue", Data: new JsonObject { ["evaluations"] = evaluations }));
        var letters = await host.Services.GetRequiredService<FeedbackReader>().LettersAsync(Community, HousingBureau);
        return Assert.Single(letters, l => l.Year == 2026).Number;
    }

    [Fact]
    public async Task A_person_made_liaison_is_told_of_the_units_current_letter_and_a_refused_or_previewed_change_tells_nobody()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var directory = DirectoryOf(host);
        var letter = await LetterOfAsync(host, HousingBureau);
        Assert.True((await directory.AddPersonAsync(Admin, Community, Newcomer, Person(HousingBureau))).Succeeded);
        Assert.Empty(await NoticesToAsync(host, Newcomer)); // a person of the unit, not its liaison

        var future = await directory.GrantRoleAsync(Admin, Community, Newcomer, RoleNames.UnitLiaison, directory.Today.AddDays(1));
        Assert.Equal(DirectoryOutcome.Invalid, future.Outcome);
        var preview = await directory.BatchAsync(Admin, Community, commit: false, batch => batch.GrantRoleAsync(Newcomer, RoleNames.UnitLiaison, batch.Today));
        Assert.True(preview.Succeeded, preview.Message);
        Assert.Empty(await NoticesToAsync(host, Newcomer));

        var granted = await directory.GrantRoleAsync(Admin, Community, Newcomer, RoleNames.UnitLiaison, directory.Today);
        Assert.True(granted.Succeeded, granted.Message);
        var (notice, deliveries) = Assert.Single(await NoticesToAsync(host, Newcomer));
        var data = JsonNode.Parse(notice.DataJson)!;
        Assert.Equal((letter, HousingBureau, 2025, $"/in-service/letters/{letter}"),
            (data["number"]!.GetValue<string>(), data["unit"]!.GetValue<string>(), data["year"]!.GetValue<int>(), data["link"]!.GetValue<string>()));
        Assert.Contains(letter, data["message.zh-CN"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(notice.InstanceId); // the review is the office's: the notice points to the letter's page only
        Assert.Equal([(DeliveryChannel.Email, DeliveryStatus.Pending)], deliveries.Select(d => (d.Channel, d.Status)));

        // A unit without a letter: its new liaison is told nothing.
        Assert.True((await directory.AddPersonAsync(Admin, Community, "p-liaison-police-2", Person(PoliceStation))).Succeeded);
        Assert.True((await directory.GrantRoleAsync(Admin, Community, "p-liaison-police-2", RoleNames.UnitLiaison, directory.Today)).Succeeded);
        Assert.Empty(await NoticesToAsync(host, "p-liaison-police-2"));
    }

    [Fact]
    public async Task A_liaison_moved_or_ended_before_the_notice_went_out_has_it_suppressed_and_the_new_units_letter_told()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var directory = DirectoryOf(host);
        var bureausLetter = await LetterOfAsync(host, HousingBureau);
        var detaisLetter = await LetterOfAsync(host, Detai);
        Assert.True((await directory.AddPersonAsync(Admin, Community, Newcomer, Person(HousingBureau))).Succeeded);
        var granted = await directory.GrantRoleAsync(Admin, Community, Newcomer, RoleNames.UnitLiaison, directory.Today);
        Assert.True(granted.Succeeded, granted.Message);

        // Moved to Detai: the bureau's letter is no longer theirs to read, Detai's is.
        host.Time.Advance(TimeSpan.FromSeconds(1)); // the notices are listed oldest first
        var moved = await directory.EditPersonAsync(Admin, Community, Newcomer, granted.Version!.Value, Person(Detai));
        Assert.True(moved.Succeeded, moved.Message);
        var notices = await NoticesToAsync(host, Newcomer);
        Assert.Equal([bureausLetter, detaisLetter], notices.Select(n => NumberOf(n.Notice)));
        var bureaus = Assert.Single(notices[0].Deliveries);
        Assert.Equal((DeliveryStatus.Suppressed, LiaisonLetterNotices.SuppressedReason), (bureaus.Status, bureaus.LastError));
        Assert.Equal(DeliveryStatus.Pending, Assert.Single(notices[1].Deliveries).Status);

        // A refused end (before the role began) suppresses nothing; the real end does.
        Assert.False((await directory.EndRoleAsync(Admin, Community, Newcomer, RoleNames.UnitLiaison, directory.Today.AddDays(-1))).Succeeded);
        Assert.Equal(DeliveryStatus.Pending, Assert.Single((await NoticesToAsync(host, Newcomer))[1].Deliveries).Status);
        Assert.True((await directory.EndRoleAsync(Admin, Community, Newcomer, RoleNames.UnitLiaison, directory.Today)).Succeeded);
        var detais = Assert.Single((await NoticesToAsync(host, Newcomer))[1].Deliveries);
        Assert.Equal((DeliveryStatus.Suppressed, LiaisonLetterNotices.SuppressedReason), (detais.Status, detais.LastError));
    }

    [Fact]
    public async Task A_liaison_granted_while_another_host_issues_the_letters_is_told_of_the_new_letter_exactly_once()
    {
        await using var database = await CreateDatabaseAsync();
        await using var first = await WorkflowTestHost.StartAsync(database);
        await using var second = await WorkflowTestHost.StartAsync(database, first.Time);
        Assert.True((await DirectoryOf(first).AddPersonAsync(Admin, Community, Newcomer, Person(HousingBureau))).Succeeded);
        first.Time.SetUtcNow(YearsEnd);
        var id = Assert.Single(await first.Services.GetRequiredService<AnnualFeedbackOpener>().OpenDueAsync()).InstanceId;
        var review = await new ProcessDriver(first).OpenAsync(id, "office-review");
        var evaluations = new JsonArray([.. Members2026.Select(m => (JsonNode)new JsonObject { ["member"] = m, ["rating"] = "competent" })]);

        // One host issues the letters while the other makes the newcomer the bureau's liaison.
        var start = new TaskCompletionSource();
        var issue = Task.Run(async () =>
        {
            await start.Task;
            await new ProcessDriver(first).SendAsync(id, new CompleteTask(review, ProcessDriver.OfficeXie, "issue", Data: new JsonObject { ["evaluations"] = evaluations }));
        });
        var grant = Task.Run(async () =>
        {
            await start.Task;
            return await DirectoryOf(second).GrantRoleAsync(Admin, Community, Newcomer, RoleNames.UnitLiaison, DirectoryOf(second).Today);
        });
        start.SetResult();
        await issue;
        Assert.True((await grant).Succeeded);

        var letter = Assert.Single(await first.Services.GetRequiredService<FeedbackReader>().LettersAsync(Community, HousingBureau), l => l.Year == 2026).Number;
        await using var db = await first.OpenDbAsync();
        var told = await db.Notifications.AsNoTracking().Where(n => n.RecipientId == Newcomer && n.UniqueKey.Contains(letter)).Select(n => n.Template).ToListAsync();
        Assert.Single(told); // by the issue (granted first) or by the grant (issued first), never both, never neither
    }

    [Fact]
    public async Task A_liaison_deactivated_before_the_issues_own_notice_went_out_does_not_get_it_and_the_other_liaisons_do()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var directory = DirectoryOf(host);
        Assert.True((await directory.AddPersonAsync(Admin, Community, Newcomer, Person(HousingBureau))).Succeeded);
        Assert.True((await directory.GrantRoleAsync(Admin, Community, Newcomer, RoleNames.UnitLiaison, directory.Today)).Succeeded);
        var bureausLetter = await IssueTheLettersOf2026Async(host);

        var deactivated = await directory.DeactivatePersonAsync(Admin, Community, Newcomer);
        Assert.True(deactivated.Succeeded, deactivated.Message);

        await using var db = await host.OpenDbAsync();
        var told = await db.Notifications.AsNoTracking().Where(n => n.Template == FeedbackLetterNotices.Template && n.UniqueKey.Contains(bureausLetter))
            .Join(db.NotificationDeliveries, n => n.Id, d => d.NotificationId, (n, d) => new { n.RecipientId, d.Status, d.LastError }).ToListAsync();
        Assert.Equal(["p-liaison-gao", Newcomer], told.Select(t => t.RecipientId).Order(StringComparer.Ordinal));
        Assert.Equal((DeliveryStatus.Suppressed, LiaisonLetterNotices.SuppressedReason), told.Where(t => t.RecipientId == Newcomer).Select(t => (t.Status, t.LastError)).Single());
        Assert.Equal(DeliveryStatus.Pending, told.Single(t => t.RecipientId == "p-liaison-gao").Status);
    }
}

public sealed class SqliteLiaisonLetterNoticeTests : LiaisonLetterNoticeScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlLiaisonLetterNoticeTests : LiaisonLetterNoticeScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
