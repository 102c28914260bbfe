using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Journal;

/// <summary>The journal verifies after a real run, and every kind of tampering is caught at the first broken event.</summary>
public abstract class JournalScenarios
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static async Task<(WorkflowTestHost Host, Guid Id)> RunConsultationAsync(TestDatabase database)
    {
        // A time with sub-microsecond ticks: what is hashed must survive PostgreSQL's microsecond timestamps.
        var host = await WorkflowTestHost.StartOwningAsync(database, new FakeTimeProvider(WorkflowTestHost.DefaultStart.AddTicks(1_234_567)));
        try
        {
            var flow = new Consultation(host);
            var id = await flow.SubmitAsync();
            var ballot = await flow.AcceptAsync(id);
            foreach (var voter in (await flow.EligibleAsync()).Take(3))
            {
                Assert.True((await flow.VoteAsync(id, ballot, voter, "consent")).Succeeded);
            }

            return (host, id);
        }
        catch
        {
            // The caller never gets the host to dispose: drop its database here (PostgreSQL would keep it).
            await host.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task An_untouched_journal_verifies()
    {
        var (host, id) = await RunConsultationAsync(await CreateDatabaseAsync());
        await using var _ = host;
        var result = await host.Queries.VerifyJournalAsync(id);
        Assert.True(result.Intact, result.Problem);
        Assert.Equal((await host.Queries.JournalAsync(id)).Count, result.EventsChecked);
    }

    [Fact]
    public async Task An_edited_event_is_reported_at_its_sequence_number()
    {
        var (host, id) = await RunConsultationAsync(await CreateDatabaseAsync());
        await using var _ = host;
        await using (var db = await host.OpenDbAsync())
        {
            var edited = await db.JournalEvents.Where(e => e.InstanceId == id && e.Type == "VoteCast").OrderBy(e => e.Sequence).FirstAsync();
            await db.JournalEvents.Where(e => e.InstanceId == id && e.Sequence == edited.Sequence)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.DataJson, edited.DataJson.Replace("consent", "object", StringComparison.Ordinal)));
            var result = await host.Queries.VerifyJournalAsync(id);
            Assert.False(result.Intact);
            Assert.Equal(edited.Sequence, result.FirstBrokenSequence);
        }
    }

    [Fact]
    public async Task A_deleted_event_in_the_middle_or_at_the_end_is_reported()
    {
        var (host, id) = await RunConsultationAsync(await CreateDatabaseAsync());
        await using var _ = host;
        await using var db = await host.OpenDbAsync();
        var last = await db.JournalEvents.Where(e => e.InstanceId == id).MaxAsync(e => e.Sequence);

        await db.JournalEvents.Where(e => e.InstanceId == id && e.Sequence == last).ExecuteDeleteAsync();
        var truncated = await host.Queries.VerifyJournalAsync(id);
        Assert.False(truncated.Intact);
        Assert.Equal(last, truncated.FirstBrokenSequence);

        await db.JournalEvents.Where(e => e.InstanceId == id && e.Sequence == 2).ExecuteDeleteAsync();
        var gap = await host.Queries.VerifyJournalAsync(id);
        Assert.False(gap.Intact);
        Assert.Equal(2, gap.FirstBrokenSequence);
    }
}

public sealed class SqliteJournalTests : JournalScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlJournalTests : JournalScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
