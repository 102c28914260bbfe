using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>Claim, transfer and delegation of the office check on a real database; run once per provider by the classes below.</summary>
public abstract class TaskMoveScenarios
{
    private const string OfficeLu = "p-office-lu";

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private async Task<(WorkflowTestHost Host, Guid Id, string Check)> SubmittedAsync()
    {
        var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        try
        {
            var flow = new Consultation(host);
            var id = await flow.SubmitAsync();
            return (host, id, await flow.OpenBookmarkAsync(id, "office-check"));
        }
        catch
        {
            // The caller never gets the host to dispose: drop its database here (PostgreSQL would keep it).
            await host.DisposeAsync();
            throw;
        }
    }

    private static Task<CommandResult> SendAsync(WorkflowTestHost host, Guid id, Stimulus stimulus) =>
        host.Commands.ResumeAsync(new ResumeCommand(id, Consultation.Community, stimulus));

    [Fact]
    public async Task Two_office_staff_claiming_at_once_leave_one_holder_and_the_other_is_told_it_is_claimed()
    {
        var (host, id, check) = await SubmittedAsync();
        await using var _ = host;

        using var gate = new SemaphoreSlim(0);
        var claims = new[] { Consultation.Office, OfficeLu }.Select(async person =>
        {
            await gate.WaitAsync();
            return (person, result: await SendAsync(host, id, new ClaimTask(check, person)));
        }).ToList();
        gate.Release(claims.Count);
        var results = await Task.WhenAll(claims);

        var winner = Assert.Single(results, r => r.result.Succeeded);
        var loser = Assert.Single(results, r => !r.result.Succeeded);
        Assert.Equal(RefusalCode.AlreadyClaimed, loser.result.Refusal);
        await using var db = await host.OpenDbAsync();
        var item = await db.WorkItems.SingleAsync(w => w.InstanceId == id && w.BookmarkId == check);
        Assert.Equal(winner.person, item.HolderId);
        Assert.Equal(1, await db.JournalEvents.CountAsync(e => e.InstanceId == id && e.Type == JournalEventTypes.TaskClaimed));
        Assert.Equal(1, await db.Timers.CountAsync(t => t.InstanceId == id && t.Purpose == "claimtimeout" && t.Status == TimerStatus.Pending));
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
    }

    [Fact]
    public async Task A_transfer_moves_the_holder_cancels_the_old_claim_timer_and_notifies_the_new_holder()
    {
        var (host, id, check) = await SubmittedAsync();
        await using var _ = host;
        Assert.True((await SendAsync(host, id, new ClaimTask(check, Consultation.Office))).Succeeded);

        var refused = await SendAsync(host, id, new TransferTask(check, Consultation.Office, Consultation.Secretary, "请书记审核"));
        Assert.Equal(RefusalCode.NotAllowed, refused.Refusal);
        var moved = await SendAsync(host, id, new TransferTask(check, Consultation.Office, OfficeLu, "谢主任出差"));
        Assert.True(moved.Succeeded, moved.Message);

        await using var db = await host.OpenDbAsync();
        Assert.Equal(OfficeLu, (await db.WorkItems.SingleAsync(w => w.InstanceId == id && w.BookmarkId == check)).HolderId);
        var claimTimers = await db.Timers.Where(t => t.InstanceId == id && t.Purpose == "claimtimeout").OrderBy(t => t.DueAt).ToListAsync();
        Assert.Equal([TimerStatus.Cancelled, TimerStatus.Pending], claimTimers.Select(t => t.Status).Order(StringComparer.Ordinal));
        Assert.Single(await db.Notifications.Where(n => n.InstanceId == id && n.Template == "task-transferred" && n.RecipientId == OfficeLu).ToListAsync());
        Assert.Single(await host.Queries.JournalAsync(id), e => e.Type == JournalEventTypes.TaskTransferred);
    }

    [Fact]
    public async Task A_leave_set_through_the_store_routes_the_next_personal_task_to_the_deputy_at_once()
    {
        var (host, id, check) = await SubmittedAsync();
        await using var _ = host;
        var absences = host.Services.GetRequiredService<WorkflowHost.Persistence.Participants.AbsenceStore>();
        var today = DateOnly.FromDateTime(host.Time.GetUtcNow().UtcDateTime);
        var refused = await absences.SetAsync(Consultation.Community, Consultation.Liaison,
            new WorkflowHost.Persistence.Participants.AbsenceChange(today, today.AddDays(5), Consultation.Liaison), today);
        Assert.Equal("deputy", refused?.Field);

        Assert.Null(await absences.SetAsync(Consultation.Community, Consultation.Liaison,
            new WorkflowHost.Persistence.Participants.AbsenceChange(today, today.AddDays(5), Consultation.Office), today));
        Assert.True((await new Consultation(host).CompleteAsync(id, check, Consultation.Office, "return")).Succeeded);

        await using var db = await host.OpenDbAsync();
        var amend = await db.WorkItems.SingleAsync(w => w.InstanceId == id && w.ActivityId == "amend" && w.Status == WorkItemStatus.Open);
        Assert.Equal((AssigneeKind.Person, Consultation.Office), (amend.AssigneeKind, amend.AssigneeValue));
        Assert.Single(await host.Queries.JournalAsync(id), e => e.Type == JournalEventTypes.TaskRoutedToDeputy);
    }

    [Fact]
    public async Task A_delegated_task_is_in_the_colleagues_inbox_until_it_is_handed_back()
    {
        var (host, id, check) = await SubmittedAsync();
        await using var _ = host;
        Assert.True((await SendAsync(host, id, new ClaimTask(check, Consultation.Office))).Succeeded);
        Assert.True((await SendAsync(host, id, new DelegateTask(check, Consultation.Office, Consultation.Secretary, "请先看材料"))).Succeeded);

        Assert.Contains(await host.Queries.OpenWorkForAsync(Consultation.Secretary), w => w.BookmarkId == check && w.DelegateId == Consultation.Secretary);
        Assert.True((await SendAsync(host, id, new ReturnDelegatedTask(check, Consultation.Secretary, "材料齐全"))).Succeeded);

        Assert.DoesNotContain(await host.Queries.OpenWorkForAsync(Consultation.Secretary), w => w.BookmarkId == check);
        var completed = await new Consultation(host).CompleteAsync(id, check, Consultation.Office, "accept");
        Assert.True(completed.Succeeded, completed.Message);
    }

    [Fact]
    public async Task Copies_and_a_delegation_leave_one_reader_row_per_person_with_the_first_reason()
    {
        var (host, id, check) = await SubmittedAsync();
        await using var _ = host;
        Assert.True((await SendAsync(host, id, new CopyCase(Consultation.Liaison, ["p-member-zhang"], "请知悉"))).Succeeded);
        Assert.Equal(RefusalCode.AlreadyCopied, (await SendAsync(host, id, new CopyCase(Consultation.Office, ["p-member-zhang"]))).Refusal);
        Assert.True((await SendAsync(host, id, new ClaimTask(check, Consultation.Office))).Succeeded);
        Assert.True((await SendAsync(host, id, new DelegateTask(check, Consultation.Office, "p-member-zhang", "请先看材料"))).Succeeded);
        Assert.True((await SendAsync(host, id, new ReturnDelegatedTask(check, "p-member-zhang", "已看"))).Succeeded);
        Assert.True((await SendAsync(host, id, new DelegateTask(check, Consultation.Office, OfficeLu))).Succeeded);

        await using var db = await host.OpenDbAsync();
        var readers = await db.CaseReaders.Where(r => r.InstanceId == id).OrderBy(r => r.PersonId).ToListAsync();
        Assert.Equal([("p-member-zhang", "copied", Consultation.Liaison), (OfficeLu, "prepared", Consultation.Office)],
            readers.Select(r => (r.PersonId, r.Reason, r.AddedBy)));
        Assert.Single(await host.Queries.JournalAsync(id), e => e.Type == JournalEventTypes.CaseCopied);
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
    }

    [Fact]
    public async Task A_leave_starting_while_a_file_is_returned_moves_it_to_the_deputy_once()
    {
        var (host, id, check) = await SubmittedAsync();
        await using var _ = host;
        Assert.True((await new Consultation(host).CompleteAsync(id, check, Consultation.Office, "return")).Succeeded);
        var absences = host.Services.GetRequiredService<WorkflowHost.Persistence.Participants.AbsenceStore>();
        var routing = host.Services.GetRequiredService<WorkflowHost.Persistence.Participants.LeaveRouting>();
        var today = DateOnly.FromDateTime(host.Time.GetUtcNow().UtcDateTime);
        Assert.Equal(0, await routing.ApplyAsync());

        Assert.Null(await absences.SetAsync(Consultation.Community, Consultation.Liaison,
            new WorkflowHost.Persistence.Participants.AbsenceChange(today, today.AddDays(5), OfficeLu), today));
        Assert.Equal(1, await routing.ApplyAsync());
        Assert.Equal(0, await routing.ApplyAsync());

        await using var db = await host.OpenDbAsync();
        var amend = await db.WorkItems.SingleAsync(w => w.InstanceId == id && w.ActivityId == "amend" && w.Status == WorkItemStatus.Open);
        Assert.Equal((AssigneeKind.Person, OfficeLu), (amend.AssigneeKind, amend.AssigneeValue));
        Assert.Single(await db.Notifications.Where(n => n.InstanceId == id && n.Template == "task-routed-to-deputy" && n.RecipientId == OfficeLu).ToListAsync());
        Assert.Single(await host.Queries.JournalAsync(id), e => e.Type == JournalEventTypes.TaskRoutedToDeputy);
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
    }
}

public sealed class SqliteTaskMoveTests : TaskMoveScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlTaskMoveTests : TaskMoveScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
