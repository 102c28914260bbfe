using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Participants;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Participants;

/// <summary>
/// The overdue sweep's leave routing when nothing can move (docs/decisions/0136): the liaison is on leave with the
/// office's Lu as deputy, Lu is away too, and the returned file waits for the liaison. The first sweep asks the engine
/// and remembers the answer; the next sweeps do not ask again until the deputy is back or the leave changes.
/// </summary>
public abstract class LeaveRoutingScenarios
{
    private const string OfficeLu = "p-office-lu";

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private sealed record Setup(WorkflowTestHost Host, Guid Id, SqlCommandCounter Commands, LeaveRouting Routing, AbsenceStore Absences, DateOnly Today);

    private async Task<Setup> DeputyAwayTooAsync()
    {
        var commands = new SqlCommandCounter();
        var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync(), configure: services =>
            services.AddDbContextFactory<WorkflowDbContext>((_, options) => options.AddInterceptors(commands)));
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        Assert.True((await flow.CompleteAsync(id, await flow.OpenBookmarkAsync(id, "office-check"), Consultation.Office, "return")).Succeeded);
        var absences = host.Services.GetRequiredService<AbsenceStore>();
        var today = DateOnly.FromDateTime(host.Time.GetUtcNow().UtcDateTime);
        Assert.Null(await absences.SetAsync(Consultation.Community, OfficeLu, new AbsenceChange(today, today.AddDays(2), null), today));
        Assert.Null(await absences.SetAsync(Consultation.Community, Consultation.Liaison, new AbsenceChange(today, today.AddDays(9), OfficeLu), today));
        return new Setup(host, id, commands, host.Services.GetRequiredService<LeaveRouting>(), absences, today);
    }

    private static async Task<(int Moved, int Commands, int Journal)> SweepAsync(Setup setup)
    {
        var before = (await setup.Host.Queries.JournalAsync(setup.Id)).Count;
        setup.Commands.Reset();
        var moved = await setup.Routing.ApplyAsync();
        var commands = setup.Commands.Count;
        return (moved, commands, (await setup.Host.Queries.JournalAsync(setup.Id)).Count - before);
    }

    private static async Task<WorkItem> AmendAsync(Setup setup)
    {
        await using var db = await setup.Host.OpenDbAsync();
        return await db.WorkItems.AsNoTracking().SingleAsync(w => w.InstanceId == setup.Id && w.ActivityId == "amend" && w.Status == WorkItemStatus.Open);
    }

    [Fact]
    public async Task A_sweep_that_could_move_nothing_is_not_repeated_until_the_deputy_is_back()
    {
        var setup = await DeputyAwayTooAsync();
        await using var _ = setup.Host;

        var first = await SweepAsync(setup);
        var second = await SweepAsync(setup);
        var third = await SweepAsync(setup);

        Assert.Equal((0, 0), (first.Moved, first.Journal));
        Assert.Equal((0, 0), (second.Moved, second.Journal));
        Assert.True(second.Commands < first.Commands, $"the second sweep sent {second.Commands} SQL commands, the first {first.Commands}");
        Assert.Equal(1, second.Commands); // only the query for candidates: the engine is not asked again
        Assert.Equal(second.Commands, third.Commands);
        Assert.Equal((AssigneeKind.Person, Consultation.Liaison), ((await AmendAsync(setup)).AssigneeKind, (await AmendAsync(setup)).AssigneeValue));
        await using (var db = await setup.Host.OpenDbAsync())
        {
            var miss = await db.LeaveRoutingMisses.AsNoTracking().SingleAsync();
            Assert.Equal((Consultation.Liaison, setup.Id, setup.Today.AddDays(3)), (miss.PersonId, miss.InstanceId, miss.RetryOn));
        }

        // Lu's leave ended yesterday; the liaison is still away, so the file now goes to Lu, once.
        setup.Host.Time.Advance(TimeSpan.FromDays(3));
        var back = await SweepAsync(setup);
        Assert.Equal(1, back.Moved);
        Assert.Equal((AssigneeKind.Person, OfficeLu), ((await AmendAsync(setup)).AssigneeKind, (await AmendAsync(setup)).AssigneeValue));
        Assert.Single(await setup.Host.Queries.JournalAsync(setup.Id), e => e.Type == JournalEventTypes.TaskRoutedToDeputy);
        Assert.Equal(0, (await SweepAsync(setup)).Moved);
        await using (var db = await setup.Host.OpenDbAsync())
        {
            Assert.Empty(await db.LeaveRoutingMisses.ToListAsync());
        }

        Assert.True((await setup.Host.Queries.VerifyJournalAsync(setup.Id)).Intact);
    }

    [Fact]
    public async Task A_new_deputy_is_tried_at_the_next_sweep_without_waiting()
    {
        var setup = await DeputyAwayTooAsync();
        await using var _ = setup.Host;
        Assert.Equal(0, (await SweepAsync(setup)).Moved);
        Assert.Equal(1, (await SweepAsync(setup)).Commands);

        // The liaison names the office's Xie instead: the leave changed, so the remembered miss no longer holds.
        Assert.Null(await setup.Absences.SetAsync(Consultation.Community, Consultation.Liaison,
            new AbsenceChange(setup.Today, setup.Today.AddDays(9), Consultation.Office), setup.Today));
        var swept = await SweepAsync(setup);

        Assert.Equal((1, 1), (swept.Moved, swept.Journal));
        Assert.Equal((AssigneeKind.Person, Consultation.Office), ((await AmendAsync(setup)).AssigneeKind, (await AmendAsync(setup)).AssigneeValue));
    }
}

public sealed class SqliteLeaveRoutingTests : LeaveRoutingScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlLeaveRoutingTests : LeaveRoutingScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
