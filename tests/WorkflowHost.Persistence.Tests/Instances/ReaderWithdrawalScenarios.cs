using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// Read access taken back on a real database (decision 139): two withdrawals of one copy racing leave one journal entry and
/// one 409 and tell the person once; a refused withdrawal tells nobody; a person both copied and a delegate keeps reading
/// until both grounds are gone; run once per provider.
/// </summary>
public abstract class ReaderWithdrawalScenarios
{
    private const string Zhang = "p-member-zhang";

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private async Task<(WorkflowTestHost Host, Guid Id, string Check)> SubmittedAsync()
    {
        var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        return (host, id, await flow.OpenBookmarkAsync(id, "office-check"));
    }

    private static Task<CommandResult> SendAsync(WorkflowTestHost host, Guid id, Stimulus stimulus) =>
        host.Commands.ResumeAsync(new ResumeCommand(id, Consultation.Community, stimulus));

    [Fact]
    public async Task Two_withdrawals_of_one_copy_at_once_journal_it_once_and_the_other_is_told_it_was_withdrawn()
    {
        var (host, id, _) = await SubmittedAsync();
        await using var _h = host;
        Assert.True((await SendAsync(host, id, new CopyCase(Consultation.Liaison, [Zhang], "请知悉"))).Succeeded);

        using var gate = new SemaphoreSlim(0);
        var withdrawals = new[] { Consultation.Liaison, Consultation.Office }.Select(async person =>
        {
            await gate.WaitAsync();
            return await SendAsync(host, id, new WithdrawCopy(person, Zhang, "抄送对象有误"));
        }).ToList();
        gate.Release(withdrawals.Count);
        var results = await Task.WhenAll(withdrawals);

        Assert.Single(results, r => r.Succeeded);
        Assert.Equal(RefusalCode.AlreadyWithdrawn, Assert.Single(results, r => !r.Succeeded).Refusal);
        await using var db = await host.OpenDbAsync();
        Assert.False(await db.CaseReaders.AnyAsync(r => r.InstanceId == id && r.PersonId == Zhang));
        Assert.Equal(1, await db.JournalEvents.CountAsync(e => e.InstanceId == id && e.Type == JournalEventTypes.CaseCopyWithdrawn));
        var notice = await db.Notifications.SingleAsync(n => n.InstanceId == id && n.Template == ReaderWithdrawals.CopyWithdrawnTemplate);
        Assert.Equal(Zhang, notice.RecipientId);
        Assert.True(await db.NotificationDeliveries.AnyAsync(d => d.NotificationId == notice.Id));
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
    }

    private static Task<int> NoticesAsync(WorkflowDbContext db, Guid id, string template) =>
        db.Notifications.CountAsync(n => n.InstanceId == id && n.Template == template && n.RecipientId == Zhang);

    [Fact]
    public async Task A_refused_withdrawal_tells_nobody_and_a_copy_given_again_and_withdrawn_again_is_told_each_time()
    {
        var (host, id, _) = await SubmittedAsync();
        await using var _h = host;
        Assert.True((await SendAsync(host, id, new CopyCase(Consultation.Liaison, [Zhang], "请知悉"))).Succeeded);

        Assert.Equal(RefusalCode.NotAllowed, (await SendAsync(host, id, new WithdrawCopy(Zhang, Zhang, "自己撤回"))).Refusal);
        Assert.Equal(RefusalCode.NotFound, (await SendAsync(host, id, new WithdrawCopy(Consultation.Office, Consultation.Liaison, "未抄送"))).Refusal);
        Assert.Equal(RefusalCode.NotFound, (await SendAsync(host, id, new EndDelegateReading(Consultation.Office, Zhang, "未委派"))).Refusal);
        await using (var db = await host.OpenDbAsync())
        {
            Assert.Equal(0, await NoticesAsync(db, id, ReaderWithdrawals.CopyWithdrawnTemplate));
            Assert.Equal(0, await NoticesAsync(db, id, ReaderWithdrawals.ReadingEndedTemplate));
        }

        Assert.True((await SendAsync(host, id, new WithdrawCopy(Consultation.Liaison, Zhang, "抄送对象有误"))).Succeeded);
        Assert.Equal(RefusalCode.AlreadyWithdrawn, (await SendAsync(host, id, new WithdrawCopy(Consultation.Office, Zhang, "再次"))).Refusal);
        // Copied again later (the key of the first copy's notice is taken) and withdrawn again: a notice each time.
        var again = await SendAsync(host, id, new CopyCase(Consultation.Office, [Zhang], "再次抄送"));
        Assert.True(again.Succeeded, again.Message);
        Assert.True((await SendAsync(host, id, new WithdrawCopy(Consultation.Office, Zhang, "仍无需抄送"))).Succeeded);

        await using (var db = await host.OpenDbAsync())
        {
            Assert.Equal(2, await NoticesAsync(db, id, Copies.CopiedTemplate));
            var withdrawn = await db.Notifications.Where(n => n.InstanceId == id && n.Template == ReaderWithdrawals.CopyWithdrawnTemplate && n.RecipientId == Zhang)
                .Select(n => n.DataJson).ToListAsync();
            Assert.Equal(["仍无需抄送", "抄送对象有误"], withdrawn.Select(d => System.Text.Json.Nodes.JsonNode.Parse(d)!["reason"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Two_ends_of_one_delegates_reading_at_once_tell_the_delegate_once()
    {
        var (host, id, check) = await SubmittedAsync();
        await using var _h = host;
        Assert.True((await SendAsync(host, id, new ClaimTask(check, Consultation.Office))).Succeeded);
        Assert.True((await SendAsync(host, id, new DelegateTask(check, Consultation.Office, Zhang, "请先看材料"))).Succeeded);
        Assert.True((await SendAsync(host, id, new ReturnDelegatedTask(check, Zhang, "材料齐全"))).Succeeded);

        using var gate = new SemaphoreSlim(0);
        var ends = Enumerable.Range(0, 2).Select(async i =>
        {
            await gate.WaitAsync();
            return await SendAsync(host, id, new EndDelegateReading(Consultation.Office, Zhang, $"核对完毕 {i}"));
        }).ToList();
        gate.Release(ends.Count);
        var results = await Task.WhenAll(ends);

        Assert.Single(results, r => r.Succeeded);
        Assert.Equal(RefusalCode.AlreadyWithdrawn, Assert.Single(results, r => !r.Succeeded).Refusal);
        await using var db = await host.OpenDbAsync();
        Assert.Equal(1, await NoticesAsync(db, id, ReaderWithdrawals.ReadingEndedTemplate));
        Assert.False(await db.CaseReaders.AnyAsync(r => r.InstanceId == id && r.PersonId == Zhang));
    }

    [Fact]
    public async Task A_person_copied_and_delegated_keeps_reading_until_both_grounds_are_taken_back_even_after_the_case_ended()
    {
        var (host, id, check) = await SubmittedAsync();
        await using var _h = host;
        Assert.True((await SendAsync(host, id, new CopyCase(Consultation.Liaison, [Zhang]))).Succeeded);
        Assert.True((await SendAsync(host, id, new ClaimTask(check, Consultation.Office))).Succeeded);
        Assert.True((await SendAsync(host, id, new DelegateTask(check, Consultation.Office, Zhang, "请先看材料"))).Succeeded);
        Assert.Equal(RefusalCode.Delegated, (await SendAsync(host, id, new EndDelegateReading(Consultation.Office, Zhang, "已无需查阅"))).Refusal);
        Assert.True((await SendAsync(host, id, new ReturnDelegatedTask(check, Zhang, "材料齐全"))).Succeeded);

        Assert.True((await SendAsync(host, id, new WithdrawCopy(Consultation.Office, Zhang, "抄送对象有误"))).Succeeded);
        await using (var db = await host.OpenDbAsync())
        {
            Assert.Equal("prepared", (await db.CaseReaders.SingleAsync(r => r.InstanceId == id && r.PersonId == Zhang)).Reason);
        }

        // Ended: the case is withdrawn by its initiator, and the delegate's reading can still be ended afterwards.
        Assert.True((await SendAsync(host, id, new Withdraw(Consultation.Liaison, "撤回重报"))).Succeeded);
        Assert.True((await SendAsync(host, id, new EndDelegateReading(Consultation.Office, Zhang, "已办结，无需查阅"))).Succeeded);
        Assert.Equal(RefusalCode.AlreadyWithdrawn, (await SendAsync(host, id, new EndDelegateReading(Consultation.Office, Zhang, "再次"))).Refusal);
        await using (var db = await host.OpenDbAsync())
        {
            Assert.False(await db.CaseReaders.AnyAsync(r => r.InstanceId == id && r.PersonId == Zhang));
            Assert.Equal(1, await db.JournalEvents.CountAsync(e => e.InstanceId == id && e.Type == JournalEventTypes.DelegateReadingEnded));
        }

        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
    }
}

public sealed class SqliteReaderWithdrawalTests : ReaderWithdrawalScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlReaderWithdrawalTests : ReaderWithdrawalScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
