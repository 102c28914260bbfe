using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Participants;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Participants;

/// <summary>
/// What the departures sweep costs in SQL commands with 30 candidate voters (10 members who left, on 3 open ballots),
/// counted, never timed (issue 18). The candidates and their role-ended changes are two queries whatever their number;
/// only a departure that applies costs more, its own step and its journal line.
/// </summary>
public abstract class DepartureSweepBudgetScenarios
{
    private const int Ballots = 3;
    private const int Leavers = 10;
    private const string Admin = "p-admin-shen";

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    /// <summary>
    /// The commands one applied departure may send: its step's read, the voter's row, the journal event with the state,
    /// and the directory's journal line.
    /// </summary>
    protected abstract int PerDeparture { get; }

    private sealed record Setup(WorkflowTestHost Host, SqlCommandCounter Commands, List<(Guid Id, string Ballot)> Ballots, IReadOnlyList<string> Leavers);

    private async Task<Setup> BallotsOpenAsync()
    {
        var commands = new SqlCommandCounter();
        var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync(), configure: services =>
            services.AddDbContextFactory<WorkflowDbContext>((_, options) => options.AddInterceptors(commands)));
        var consultation = new Consultation(host);
        var ballots = new List<(Guid, string)>();
        for (var i = 0; i < Ballots; i++)
        {
            var id = await consultation.SubmitAsync();
            ballots.Add((id, await consultation.AcceptAsync(id)));
        }

        return new Setup(host, commands, ballots, [.. (await consultation.EligibleAsync()).Take(Leavers)]);
    }

    [Fact]
    public async Task Thirty_candidates_who_left_another_role_cost_two_queries()
    {
        var setup = await BallotsOpenAsync();
        await using var _ = setup.Host;

        // Each leaver lost the committee role by hand and ended another role through the directory: all 30 voter rows are
        // candidates (a role-ended change, no committee role), and none is a departure from the committee.
        await using (var db = await setup.Host.OpenDbAsync())
        {
            await db.PersonRoles.Where(r => setup.Leavers.Contains(r.PersonId) && r.Role == RoleNames.CommitteeMember).ExecuteDeleteAsync();
            var now = setup.Host.Time.GetUtcNow();
            db.DirectoryChanges.AddRange(setup.Leavers.Select(person => new DirectoryChange
            {
                Id = Guid.CreateVersion7(now), CommunityId = Consultation.Community, At = now, ActorId = Admin,
                Kind = DirectoryChangeKind.RoleEnded, SubjectId = person, AfterJson = """{"role":"unit-liaison","to":"2026-11-27"}""",
            }));
            await db.SaveChangesAsync();
        }

        setup.Commands.Reset();
        var applied = await setup.Host.Services.GetRequiredService<BallotDepartures>().SweepAsync();

        Assert.Equal(0, applied);
        Assert.True(setup.Commands.Count == 2, $"{setup.Commands.Count} commands:\n{setup.Commands.Describe()}");
        Assert.Contains("BallotVoters", setup.Commands.Commands[0]); // the candidates
        Assert.Contains("DirectoryChanges", setup.Commands.Commands[1]); // all their role-ended changes, in one query
        Assert.DoesNotContain("BallotVoters", setup.Commands.Commands[1]);
    }

    [Fact]
    public async Task Thirty_departures_a_stopped_host_left_cost_two_queries_and_their_own_steps()
    {
        var setup = await BallotsOpenAsync();
        await using var _ = setup.Host;
        var services = setup.Host.Services;
        var time = services.GetRequiredService<TimeProvider>();
        var stopping = new DirectoryAdministration(services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>(), time, services.GetRequiredService<StepWriteGate>(),
            new BallotDepartures(new StoppedDatabase(), setup.Host.Commands, time, NullLogger<BallotDepartures>.Instance));
        foreach (var leaver in setup.Leavers)
        {
            var stopped = await Assert.ThrowsAsync<InvalidOperationException>(() => stopping.EndRoleAsync(Admin, Consultation.Community, leaver, RoleNames.CommitteeMember, new DateOnly(2026, 11, 27)));
            Assert.Equal(StoppedDatabase.Message, stopped.Message);
        }

        setup.Commands.Reset();
        var applied = await services.GetRequiredService<BallotDepartures>().SweepAsync();

        Assert.Equal(Ballots * Leavers, applied);
        // The candidates and their changes (2), the community's directory read once by the first step and cached (2),
        // and each departure's own commands. Before the changes were batched, each candidate added a query: 154.
        var budget = 2 + 2 + (Ballots * Leavers * PerDeparture);
        Assert.True(setup.Commands.Count <= budget, $"{setup.Commands.Count} commands (budget {budget}):\n{setup.Commands.Describe()}");
        await using var check = await setup.Host.OpenDbAsync();
        foreach (var (id, ballot) in setup.Ballots)
        {
            Assert.Equal(13 - Leavers, (await setup.Host.Queries.GetAsync(id))!.State.Bookmarks.Single(b => b.Id == ballot).Ballot!.EligibleCount);
        }

        Assert.Equal(Ballots * Leavers, await check.BallotVoters.CountAsync(v => setup.Leavers.Contains(v.PersonId) && v.Status == VoterStatus.Recused));
        Assert.Equal(Ballots * Leavers, await check.DirectoryChanges.CountAsync(c => c.Kind == DirectoryChangeKind.BallotEligibilityReduced));
        Assert.Equal(0, await services.GetRequiredService<BallotDepartures>().SweepAsync());
    }
}

public sealed class SqliteDepartureSweepBudgetTests : DepartureSweepBudgetScenarios
{
    protected override int PerDeparture => 4;

    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlDepartureSweepBudgetTests : DepartureSweepBudgetScenarios
{
    protected override int PerDeparture => 4;

    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
