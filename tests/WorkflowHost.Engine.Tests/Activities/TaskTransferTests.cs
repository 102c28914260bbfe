using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>转交 and 委派: the holder passes the check to a colleague who may hold it, or asks one to prepare it.</summary>
public sealed class TaskTransferTests
{
    private const string OfficeLu = "p-office-lu";

    [Fact]
    public void The_holder_transfers_the_check_with_a_reason_and_the_new_holder_is_notified()
    {
        var driver = Consultation.Submitted();
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        driver.Send(new ClaimTask(check, OfficeXie));

        var effects = driver.Send(new TransferTask(check, OfficeXie, OfficeLu, "谢主任出差，请陆鹏办理"));

        Assert.Equal(OfficeLu, driver.OpenBookmark(Consultation.OfficeCheck).Task!.Holder);
        var notice = Assert.Single(effects.OfType<NotificationRequested>());
        Assert.Equal((OfficeLu, "task-transferred"), (notice.RecipientId, notice.Template));
        var moved = Assert.Single(driver.Journal(JournalEventTypes.TaskTransferred));
        Assert.Equal((OfficeXie, OfficeLu, "谢主任出差，请陆鹏办理"),
            (moved["by"]!.GetValue<string>(), moved["to"]!.GetValue<string>(), moved["reason"]!.GetValue<string>()));
        driver.Refuse(new CompleteTask(check, OfficeXie, "accept"), RefusalCode.NotHolder);
        driver.Send(new CompleteTask(check, OfficeLu, "accept"));
    }

    [Fact]
    public void A_transfer_to_someone_the_task_is_not_offered_to_is_refused_and_changes_nothing()
    {
        var driver = Consultation.Submitted();
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        driver.Send(new ClaimTask(check, OfficeXie));

        var refusal = driver.Refuse(new TransferTask(check, OfficeXie, MemberLi, "请李委员审核"), RefusalCode.NotAllowed);
        Assert.Contains("office", refusal.Message, StringComparison.Ordinal);
        driver.Refuse(new TransferTask(check, OfficeXie, "p-nobody", "?"), RefusalCode.NotAllowed);
        driver.Refuse(new TransferTask(check, OfficeXie, OfficeXie, "自己"), RefusalCode.NotAllowed);
        driver.Refuse(new TransferTask(check, OfficeXie, OfficeLu, " "), RefusalCode.InvalidInput);
    }

    [Fact]
    public void Only_the_holder_transfers_and_an_unclaimed_task_is_claimed_first()
    {
        var driver = Consultation.Submitted();
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;

        driver.Refuse(new TransferTask(check, OfficeXie, OfficeLu, "请办理"), RefusalCode.NotHolder);
        driver.Send(new ClaimTask(check, OfficeLu));
        driver.Refuse(new TransferTask(check, OfficeXie, OfficeLu, "请办理"), RefusalCode.NotHolder);
    }

    [Fact]
    public void A_task_for_one_named_person_cannot_be_transferred()
    {
        var driver = Consultation.ReturnedForAmendment();

        driver.Refuse(new TransferTask(driver.OpenBookmark(Consultation.Amend).Id, DetaiLiaison, ShoppingCentreLiaison, "请代为补充"), RefusalCode.NotAllowed);
    }

    [Fact]
    public void A_delegated_task_waits_for_the_colleagues_note_and_then_the_holder_completes_it()
    {
        var driver = Consultation.Submitted();
        var check = driver.OpenBookmark(Consultation.OfficeCheck).Id;
        driver.Send(new ClaimTask(check, OfficeXie));

        var delegated = driver.Send(new DelegateTask(check, OfficeXie, OfficeLu, "请先核对任免审批表"));
        Assert.Contains(new TaskHoldingChanged(check, OfficeXie, OfficeLu), delegated);
        var reader = Assert.Single(delegated.OfType<CaseReadersAdded>()); // keeps reading the case after handing it back (decision 130)
        Assert.Equal([OfficeLu], reader.PersonIds);
        Assert.Equal(CaseReaderReason.Prepared, reader.Reason);
        Assert.Equal(OfficeLu, Assert.Single(delegated.OfType<NotificationRequested>()).RecipientId);
        driver.Refuse(new CompleteTask(check, OfficeXie, "accept"), RefusalCode.Delegated);
        driver.Refuse(new CompleteTask(check, OfficeLu, "accept"), RefusalCode.NotHolder);
        driver.Refuse(new ReturnDelegatedTask(check, MemberLi, "已核对"), RefusalCode.NotAllowed);

        var back = driver.Send(new ReturnDelegatedTask(check, OfficeLu, "材料齐全，审批表签章完整"));

        Assert.Contains(new TaskHoldingChanged(check, OfficeXie, null), back);
        Assert.Equal(OfficeXie, Assert.Single(back.OfType<NotificationRequested>()).RecipientId);
        var prepared = driver.State.Variables[Consultation.OfficeCheck]!["prepared"]!.AsArray();
        Assert.Equal("材料齐全，审批表签章完整", Assert.Single(prepared)!["note"]!.GetValue<string>());
        driver.Send(new CompleteTask(check, OfficeXie, "accept"));
        Assert.True(driver.IsOpen(Consultation.Ballot));
    }

    [Fact]
    public void The_person_a_task_is_for_may_delegate_it_but_a_process_can_forbid_moves()
    {
        var driver = Consultation.ReturnedForAmendment();
        var amend = driver.OpenBookmark(Consultation.Amend).Id;
        driver.Send(new DelegateTask(amend, DetaiLiaison, DetaiMember, "请准备推荐理由"));
        driver.Send(new ReturnDelegatedTask(amend, DetaiMember, "推荐理由已写好"));

        var strict = InstanceDriver.Started(TestDefinitions.Flow(
            """{ "id": "check", "type": "humanTask", "assignee": { "role": "office" }, "moves": { "claim": false, "transfer": false, "delegate": false }, "outcomes": [ { "name": "done" } ] }, { "id": "end", "type": "end", "result": "done" }""",
            """{ "from": "check", "outcome": "done", "to": "end" }"""), OfficeXie);
        var check = strict.OpenBookmark("check").Id;
        strict.Refuse(new ClaimTask(check, OfficeXie), RefusalCode.NotAllowed);
        strict.Refuse(new DelegateTask(check, OfficeXie, OfficeLu), RefusalCode.NotAllowed);
        strict.Refuse(new TransferTask(check, OfficeXie, OfficeLu, "请办理"), RefusalCode.NotAllowed);
    }
}
