using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// Read access taken back on a real database (decision 139): two withdrawals of one copy racing leave one journal entry and
/// one 409; a person both copied and a delegate keeps reading until both grounds are gone; run once per provider.
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
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
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
