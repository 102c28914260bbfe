using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>Read access taken back (decision 139): a copy withdrawn, a delegate's reading ended; journaled, refused twice.</summary>
public sealed class ReaderWithdrawalTests
{
    private const string Street = "p-street-qian";

    [Fact]
    public void The_unit_withdraws_a_copy_the_reader_row_goes_it_is_journaled_and_nobody_is_told_the_outcome()
    {
        var driver = Consultation.Submitted();
        driver.Send(new CopyCase(DetaiLiaison, [Street, MemberLi]));

        var effects = driver.Send(new WithdrawCopy(DetaiLiaison, Street, "抄送对象有误"));

        Assert.Equal(new CaseReaderWithdrawn(Street, CaseReaderReason.Copied, null), Assert.Single(effects.OfType<CaseReaderWithdrawn>()));
        var entry = Assert.Single(driver.Journal(JournalEventTypes.CaseCopyWithdrawn));
        Assert.Equal((DetaiLiaison, Street, "抄送对象有误"), (entry["by"]!.GetValue<string>(), entry["person"]!.GetValue<string>(), entry["reason"]!.GetValue<string>()));
        Assert.Equal([MemberLi], driver.State.CopiedTo);

        var ended = driver.Send(new Withdraw(DetaiLiaison, "撤回"));
        Assert.Equal([MemberLi], ended.OfType<NotificationRequested>().Where(n => n.Template == WorkflowHost.Engine.Activities.Copies.OutcomeTemplate).Select(n => n.RecipientId));
    }

    [Fact]
    public void Withdrawing_is_refused_to_others_without_a_reason_for_someone_not_copied_and_twice_and_a_new_copy_may_follow()
    {
        var driver = Consultation.Submitted();
        driver.Send(new CopyCase(OfficeXie, [Street]));

        driver.Refuse(new WithdrawCopy(MemberLi, Street, "无关"), RefusalCode.NotAllowed);
        driver.Refuse(new WithdrawCopy(OfficeXie, Street, " "), RefusalCode.InvalidInput);
        driver.Refuse(new WithdrawCopy(OfficeXie, MemberLi, "未抄送"), RefusalCode.NotFound);
        driver.Send(new WithdrawCopy(OfficeXie, Street, "误抄送"));
        driver.Refuse(new WithdrawCopy(DetaiLiaison, Street, "再次"), RefusalCode.AlreadyWithdrawn);

        driver.Send(new CopyCase(OfficeXie, [Street]));
        Assert.Equal([Street], driver.State.CopiedTo);
        Assert.Empty(driver.State.CopiesWithdrawn);
    }

    [Fact]
    public void The_delegating_holder_ends_a_delegates_reading_once_they_handed_the_task_back_and_also_after_the_case_ended()
    {
        var driver = Consultation.Submitted();
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        driver.Send(new ClaimTask(check, OfficeXie));
        driver.Send(new DelegateTask(check, OfficeXie, MemberLi, "请先看材料"));

        driver.Refuse(new EndDelegateReading(OfficeXie, MemberLi, "无需查阅"), RefusalCode.Delegated);
        driver.Send(new ReturnDelegatedTask(check, MemberLi, "材料齐全"));
        driver.Refuse(new EndDelegateReading(DetaiLiaison, MemberLi, "无需查阅"), RefusalCode.NotAllowed);
        driver.Refuse(new EndDelegateReading(OfficeXie, Street, "无需查阅"), RefusalCode.NotFound);
        driver.Send(new Withdraw(DetaiLiaison, "撤回"));

        var effects = driver.Send(new EndDelegateReading(OfficeXie, MemberLi, "已办结，无需查阅"));

        Assert.Equal(new CaseReaderWithdrawn(MemberLi, CaseReaderReason.Prepared, null), Assert.Single(effects.OfType<CaseReaderWithdrawn>()));
        Assert.Single(driver.Journal(JournalEventTypes.DelegateReadingEnded));
        driver.Refuse(new EndDelegateReading(OfficeXie, MemberLi, "再次"), RefusalCode.AlreadyWithdrawn);
        Assert.Equal(InstanceStatus.Withdrawn, driver.State.Status);
    }

    [Fact]
    public void The_person_whose_copy_is_withdrawn_is_told_why_and_a_second_copy_and_withdrawal_get_notices_of_their_own()
    {
        var driver = Consultation.Submitted();
        var first = Assert.Single(driver.Send(new CopyCase(DetaiLiaison, [Street])).OfType<NotificationRequested>());

        var withdrawn = Assert.Single(driver.Send(new WithdrawCopy(DetaiLiaison, Street, "抄送对象有误")).OfType<NotificationRequested>());

        Assert.Equal((Street, ReaderWithdrawals.CopyWithdrawnTemplate), (withdrawn.RecipientId, withdrawn.Template));
        Assert.Equal("抄送对象有误", withdrawn.Data["reason"]!.GetValue<string>());
        Assert.False(withdrawn.Data["stillReads"]!.GetValue<bool>());
        Assert.Equal(driver.State.InstanceId.ToString(), withdrawn.Data["instance"]!.GetValue<string>());

        // Copied again and withdrawn again: each notice has a key of its own (the store writes a key once).
        var again = Assert.Single(driver.Send(new CopyCase(OfficeXie, [Street])).OfType<NotificationRequested>());
        var secondWithdrawal = Assert.Single(driver.Send(new WithdrawCopy(OfficeXie, Street, "仍无需抄送")).OfType<NotificationRequested>());
        Assert.Equal(4, new[] { first.Key, withdrawn.Key, again.Key, secondWithdrawal.Key }.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Copies.CopiedTemplate, again.Template);
    }

    [Fact]
    public void A_refused_withdrawal_tells_nobody_and_a_delegate_whose_reading_ends_is_told_whether_they_still_read_as_copied()
    {
        var driver = Consultation.Submitted();
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        driver.Send(new CopyCase(DetaiLiaison, [MemberLi]));
        driver.Send(new ClaimTask(check, OfficeXie));
        driver.Send(new DelegateTask(check, OfficeXie, MemberLi, "请先看材料"));
        driver.Refuse(new EndDelegateReading(OfficeXie, MemberLi, "无需查阅"), RefusalCode.Delegated);
        driver.Send(new ReturnDelegatedTask(check, MemberLi, "材料齐全"));

        var ended = Assert.Single(driver.Send(new EndDelegateReading(OfficeXie, MemberLi, "核对完毕")).OfType<NotificationRequested>());

        Assert.Equal((MemberLi, ReaderWithdrawals.ReadingEndedTemplate, "核对完毕"), (ended.RecipientId, ended.Template, ended.Data["reason"]!.GetValue<string>()));
        Assert.True(ended.Data["stillReads"]!.GetValue<bool>()); // still copied, so the case stays open to them
    }
}
