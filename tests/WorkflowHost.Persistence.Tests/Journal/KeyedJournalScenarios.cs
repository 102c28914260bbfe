using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence.Journal;
using WorkflowHost.Persistence.Sealing;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Journal;

/// <summary>
/// The keyed chain (decision 90): journals written before it (plain SHA-256) are verified and re-keyed when a host
/// starts; one that does not verify is kept as it was and reported; a rewrite in the old scheme is refused; two hosts
/// on one database verify the same journals; and a host given another key refuses to start on the database.
/// </summary>
public abstract class KeyedJournalScenarios
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static async Task<Guid> RunConsultationAsync(WorkflowTestHost host)
    {
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        foreach (var voter in (await flow.EligibleAsync()).Take(3))
        {
            Assert.True((await flow.VoteAsync(id, ballot, voter, "consent")).Succeeded);
        }

        return id;
    }

    /// <summary>Rewrites an instance's journal as the code before decision 90 wrote it: plain SHA-256, scheme 0.</summary>
    private static async Task MakeLegacyAsync(WorkflowTestHost host, Guid id)
    {
        var keys = host.Services.GetRequiredService<StoreKeys>();
        await using var db = await host.OpenDbAsync();
        var events = await db.JournalEvents.AsNoTracking().Where(e => e.InstanceId == id).OrderBy(e => e.Sequence).ToListAsync();
        var previous = JournalChain.Genesis;
        foreach (var e in events)
        {
            var hash = JournalChain.Compute(keys, JournalChain.LegacyScheme, previous, e.InstanceId, e.Sequence, e.Type, e.OccurredAt, e.DataJson);
            var link = previous;
            await db.JournalEvents.Where(x => x.InstanceId == id && x.Sequence == e.Sequence)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Hash, hash).SetProperty(x => x.PreviousHash, link).SetProperty(x => x.HashScheme, JournalChain.LegacyScheme));
            previous = hash;
        }

        await db.Instances.Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.JournalHead, previous));
    }

    [Fact]
    public async Task Old_journals_are_verified_and_re_keyed_at_start_and_a_broken_one_is_kept_as_evidence()
    {
        var database = await CreateDatabaseAsync();
        await using var _ = database;
        Guid intact, tampered;
        List<string> legacyHashes;
        long tamperedAt;
        await using (var old = await WorkflowTestHost.StartAsync(database))
        {
            intact = await RunConsultationAsync(old);
            tampered = await RunConsultationAsync(old);
            await MakeLegacyAsync(old, intact);
            await MakeLegacyAsync(old, tampered);
            legacyHashes = [.. (await old.Queries.JournalAsync(intact)).Select(e => e.Hash)];

            // Unkeyed events are refused by the ordinary verification: anyone can recompute them.
            var unkeyed = await old.Queries.VerifyJournalAsync(intact);
            Assert.False(unkeyed.Intact);
            Assert.Contains("unkeyed", unkeyed.Problem, StringComparison.Ordinal);

            await using var db = await old.OpenDbAsync();
            var vote = await db.JournalEvents.AsNoTracking().Where(e => e.InstanceId == tampered && e.Type == "VoteCast").OrderBy(e => e.Sequence).FirstAsync();
            tamperedAt = vote.Sequence;
            await db.JournalEvents.Where(e => e.InstanceId == tampered && e.Sequence == vote.Sequence)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.DataJson, vote.DataJson.Replace("consent", "object", StringComparison.Ordinal)));
        }

        // A restart: the old journal verifies, is re-keyed, and carries on; the tampered one is left as it was.
        await using var host = await WorkflowTestHost.StartAsync(database);
        var result = await host.Queries.VerifyJournalAsync(intact);
        Assert.True(result.Intact, result.Problem);
        var events = await host.Queries.JournalAsync(intact);
        Assert.All(events, e => Assert.Equal(JournalChain.KeyedScheme, e.HashScheme));
        Assert.Empty(events.Select(e => e.Hash).Intersect(legacyHashes));

        var broken = await host.Queries.VerifyJournalAsync(tampered);
        Assert.False(broken.Intact);
        Assert.Equal(tamperedAt, broken.FirstBrokenSequence);
        Assert.All(await host.Queries.JournalAsync(tampered), e => Assert.Equal(JournalChain.LegacyScheme, e.HashScheme));

        // New events on the re-keyed journal chain on from it.
        var flow = new Consultation(host);
        var ballot = await flow.OpenBookmarkAsync(intact, "committee-ballot");
        Assert.True((await flow.VoteAsync(intact, ballot, (await flow.EligibleAsync())[5], "object")).Succeeded);
        Assert.True((await host.Queries.VerifyJournalAsync(intact)).Intact);

        // Two hosts on one database verify the same journals; a third with another key refuses to start.
        await using var second = await WorkflowTestHost.StartAsync(database);
        var audit = await JournalAudit.VerifyAllAsync(second.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>(), second.Services.GetRequiredService<StoreKeys>());
        Assert.Equal([tampered], audit.Broken.Select(b => b.InstanceId));
        Assert.True((await second.Queries.VerifyJournalAsync(intact)).Intact);

        var refused = await Assert.ThrowsAsync<StoreKeyMismatchException>(() => WorkflowTestHost.StartAsync(database,
            configure: services => services.AddSingleton(StoreKeys.FromBase64(Convert.ToBase64String(new byte[32])))));
        Assert.Contains("Sealing:Key", refused.Message, StringComparison.Ordinal);
        Assert.True((await host.Queries.VerifyJournalAsync(intact)).Intact);
    }

    [Fact]
    public async Task A_journal_tail_rewritten_in_the_old_unkeyed_scheme_does_not_verify()
    {
        var database = await CreateDatabaseAsync();
        await using var _ = database;
        await using var host = await WorkflowTestHost.StartAsync(database);
        var id = await RunConsultationAsync(host);
        var keys = host.Services.GetRequiredService<StoreKeys>();

        // Someone who can write the database but has no key edits the last vote and recomputes it the old way.
        await using var db = await host.OpenDbAsync();
        var last = await db.JournalEvents.AsNoTracking().Where(e => e.InstanceId == id).OrderByDescending(e => e.Sequence).FirstAsync();
        var forged = last.DataJson.Replace("consent", "object", StringComparison.Ordinal);
        var hash = JournalChain.Compute(keys, JournalChain.LegacyScheme, last.PreviousHash, id, last.Sequence, last.Type, last.OccurredAt, forged);
        await db.JournalEvents.Where(e => e.InstanceId == id && e.Sequence == last.Sequence)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.DataJson, forged).SetProperty(e => e.Hash, hash).SetProperty(e => e.HashScheme, JournalChain.LegacyScheme));
        await db.Instances.Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.JournalHead, hash));

        var result = await host.Queries.VerifyJournalAsync(id);
        Assert.False(result.Intact);
        Assert.Equal(last.Sequence, result.FirstBrokenSequence);
    }

    [Fact]
    public void The_hash_depends_on_the_key()
    {
        var one = StoreKeys.FromBase64(WorkflowTestHost.SealingKey);
        var other = StoreKeys.FromBase64(Convert.ToBase64String(new byte[32]));
        var id = Guid.Parse("0193a1b2-0000-7000-8000-000000000001");
        var at = WorkflowTestHost.DefaultStart;
        const string data = """{"bookmark":"committee-ballot#2","voter":"p-member-zhao","choice":"consent"}""";
        var keyed = JournalChain.Compute(one, "", id, 1, "VoteCast", at, data);
        Assert.NotEqual(keyed, JournalChain.Compute(other, "", id, 1, "VoteCast", at, data));
        Assert.NotEqual(keyed, JournalChain.Compute(one, JournalChain.LegacyScheme, "", id, 1, "VoteCast", at, data));
        Assert.Equal(64, keyed.Length);
        Assert.DoesNotContain(WorkflowTestHost.SealingKey, one.ToString(), StringComparison.Ordinal);
    }
}

public sealed class SqliteKeyedJournalTests : KeyedJournalScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlKeyedJournalTests : KeyedJournalScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
