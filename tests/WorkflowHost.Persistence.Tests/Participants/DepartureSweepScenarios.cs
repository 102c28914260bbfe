using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Participants;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Participants;

/// <summary>
/// A member leaves the committee during an open ballot and the host stops right after the directory change commits,
/// before the ballots hear of it (decision 112). The sweep applies the departure once: the member leaves the eligible
/// count, journaled in the instance and the directory; a second sweep changes nothing.
/// </summary>
public abstract class DepartureSweepScenarios
{
    private const string Community = Consultation.Community;

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task A_departure_a_stopped_host_never_applied_is_applied_by_the_sweep_once()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var consultation = new Consultation(host);
        var id = await consultation.SubmitAsync();
        var ballot = await consultation.AcceptAsync(id); // Liu recused: 13 eligible

        // The directory change commits; then the host "stops": its departures cannot reach the database any more.
        var services = host.Services;
        var time = services.GetRequiredService<TimeProvider>();
        var stopping = new DirectoryAdministration(services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>(), time, services.GetRequiredService<StepWriteGate>(),
            new BallotDepartures(new StoppedDatabase(), host.Commands, time, NullLogger<BallotDepartures>.Instance));
        var stopped = await Assert.ThrowsAsync<InvalidOperationException>(() => stopping.EndRoleAsync("p-admin-shen", Community, "p-member-zhang", RoleNames.CommitteeMember, new DateOnly(2026, 11, 27)));
        Assert.Equal(StoppedDatabase.Message, stopped.Message);

        Assert.Equal(13, await EligibleAsync(host, id, ballot));
        await using (var db = await host.OpenDbAsync())
        {
            Assert.False(await db.PersonRoles.AnyAsync(r => r.PersonId == "p-member-zhang" && r.Role == RoleNames.CommitteeMember)); // the change did commit
        }

        var departures = services.GetRequiredService<BallotDepartures>();
        Assert.Equal(1, await departures.SweepAsync());
        Assert.Equal(12, await EligibleAsync(host, id, ballot));
        Assert.Equal(0, await departures.SweepAsync());
        Assert.Equal(12, await EligibleAsync(host, id, ballot));

        await using var check = await host.OpenDbAsync();
        var voter = await check.BallotVoters.SingleAsync(v => v.InstanceId == id && v.PersonId == "p-member-zhang");
        Assert.Equal((VoterStatus.Recused, BallotActivity.LeftCommitteeReason), (voter.Status, voter.RecusalReason));
        Assert.Single(await check.JournalEvents.Where(e => e.InstanceId == id && e.Type == JournalEventTypes.VoterLeft).ToListAsync());
        var reduced = Assert.Single(await check.DirectoryChanges.Where(c => c.Kind == DirectoryChangeKind.BallotEligibilityReduced).ToListAsync());
        Assert.Equal("p-member-zhang", reduced.SubjectId);
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
    }

    [Fact]
    public async Task A_pending_voter_without_the_role_but_with_no_role_ended_change_is_left_pending()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var consultation = new Consultation(host);
        var id = await consultation.SubmitAsync();
        var ballot = await consultation.AcceptAsync(id);

        // The role row gone without a directory change (a hand edit, or a bulk import's people): nothing says the
        // member left, so the sweep, which now asks the database for role-ended changes first, reads and changes nothing.
        await using (var db = await host.OpenDbAsync())
        {
            await db.PersonRoles.Where(r => r.PersonId == "p-member-zhang" && r.Role == RoleNames.CommitteeMember).ExecuteDeleteAsync();
        }

        Assert.Equal(0, await host.Services.GetRequiredService<BallotDepartures>().SweepAsync());
        Assert.Equal(13, await EligibleAsync(host, id, ballot));
        await using var check = await host.OpenDbAsync();
        Assert.Equal(VoterStatus.Pending, (await check.BallotVoters.SingleAsync(v => v.InstanceId == id && v.PersonId == "p-member-zhang")).Status);
    }

    private static async Task<int> EligibleAsync(WorkflowTestHost host, Guid id, string ballot) =>
        (await host.Queries.GetAsync(id))!.State.Bookmarks.Single(b => b.Id == ballot).Ballot!.EligibleCount;
}

public sealed class SqliteDepartureSweepTests : DepartureSweepScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlDepartureSweepTests : DepartureSweepScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
