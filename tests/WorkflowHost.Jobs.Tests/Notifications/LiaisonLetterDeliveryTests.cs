using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Jobs.Tests.Support;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.InService.Feedback;
using WorkflowHost.Persistence.Participants;

namespace WorkflowHost.Jobs.Tests.Notifications;

/// <summary>
/// Decision 152 end to end: two people are made liaisons of the housing bureau after its feedback letter went out (the
/// seeded 2025 letter), and one of them loses the role again before anything is sent. When the host's Hangfire server
/// starts, its sweep sends the letter's e-mail to the liaison who stayed, naming the letter, and nothing to the other, whose
/// delivery is marked suppressed. A real Hangfire server, a real SMTP server, a real database; run once per provider.
/// </summary>
public abstract class LiaisonLetterDeliveryScenarios
{
    private const string Admin = "p-admin-shen";
    private const string HousingBureau = "unit-housing-bureau";

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task A_new_liaison_is_emailed_the_units_letter_and_one_removed_before_the_sweep_is_not()
    {
        await using var database = await CreateDatabaseAsync();
        await using var smtp = new SmtpSink();
        var workflows = Path.Combine(database.ContentRoot, "workflows");
        Directory.CreateDirectory(workflows);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestWorkflows"), "*.json")
                     .Append(Path.Combine(RepositoryPaths.Workflows, "in-service-annual-feedback.json")))
        {
            File.Copy(file, Path.Combine(workflows, Path.GetFileName(file)));
        }

        // Built, not yet started: the directory changes are committed before any sweep could send a thing.
        await using var host = await JobsTestHost.CreateAsync(database, smtp.Port, JobsTestHost.FastScheduling("liaisons"));
        var directory = host.Services.GetRequiredService<DirectoryAdministration>();
        var letter = Assert.Single(await host.Services.GetRequiredService<FeedbackReader>().LettersAsync(JobsTestHost.Community, HousingBureau)).Number;
        foreach (var (id, email) in new[] { ("p-liaison-stays", "stays@example.org"), ("p-liaison-leaves", "leaves@example.org") })
        {
            Assert.True((await directory.AddPersonAsync(Admin, JobsTestHost.Community, id, new PersonInput("联络员", "Liaison", HousingBureau, null, null, email, null, "zh-CN"))).Succeeded);
            var granted = await directory.GrantRoleAsync(Admin, JobsTestHost.Community, id, RoleNames.UnitLiaison, directory.Today);
            Assert.True(granted.Succeeded, granted.Message);
        }

        Assert.True((await directory.EndRoleAsync(Admin, JobsTestHost.Community, "p-liaison-leaves", RoleNames.UnitLiaison, directory.Today)).Succeeded);
        await host.RunAsync();

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(smtp.Received.Any(m => m.To == "stays@example.org")), TimeSpan.FromSeconds(30)),
            $"{smtp.Messages.Count} e-mails arrived, none to the new liaison");
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken); // a later sweep must not send the other

        var mail = Assert.Single(smtp.Received);
        Assert.Equal("stays@example.org", mail.To);
        Assert.Contains("在职党员年度反馈", mail.Subject, StringComparison.Ordinal);
        Assert.Contains(letter, mail.Body, StringComparison.Ordinal);
        Assert.Contains($"/in-service/letters/{letter}", mail.Body, StringComparison.Ordinal);

        await using var db = await host.OpenDbAsync();
        var deliveries = await db.Notifications.AsNoTracking().Where(n => n.Template == LiaisonLetterNotices.Template)
            .Join(db.NotificationDeliveries, n => n.Id, d => d.NotificationId, (n, d) => new { n.RecipientId, d.Status, d.LastError, d.SentAt })
            .ToDictionaryAsync(d => d.RecipientId);
        Assert.Equal(DeliveryStatus.Sent, deliveries["p-liaison-stays"].Status);
        Assert.Equal((DeliveryStatus.Suppressed, LiaisonLetterNotices.SuppressedReason), (deliveries["p-liaison-leaves"].Status, deliveries["p-liaison-leaves"].LastError));
        Assert.Null(deliveries["p-liaison-leaves"].SentAt);
    }
}

public sealed class SqliteLiaisonLetterDeliveryTests : LiaisonLetterDeliveryScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlLiaisonLetterDeliveryTests : LiaisonLetterDeliveryScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync(migrated: true);
}
